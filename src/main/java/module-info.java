/**
 * ser4j: speech emotion recognition for the JVM. The public API is the {@code dev.ser4j} package; everything
 * else (backends, ops, bindings, the command line) is internal.
 */
module dev.ser4j {
    requires com.fasterxml.jackson.databind;
    requires info.picocli;
    requires me.tongfei.progressbar;
    requires org.knowm.xchart;
    requires commons.math3;
    requires java.desktop;
    /** Optional: the MFCC runs on the Vector API when the JVM has this module (the launcher adds it). */
    requires static jdk.incubator.vector;

    exports dev.ser4j;

    opens dev.ser4j.cli to info.picocli;
    opens dev.ser4j.train to com.fasterxml.jackson.databind;
}
