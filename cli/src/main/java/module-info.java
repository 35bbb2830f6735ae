/** The {@code ./ser4j} command line: the commands, progress bars, report plots, the synthetic corpus and the ONNX export. */
module dev.ser4j.cli {
    requires dev.ser4j;
    requires dev.ser4j.onnx;
    requires com.fasterxml.jackson.databind;
    requires info.picocli;
    requires me.tongfei.progressbar;
    requires org.knowm.xchart;
    requires java.desktop;
    requires jdk.httpserver;

    opens dev.ser4j.cli to info.picocli;
}
