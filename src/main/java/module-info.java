/**
 * ser4j: speech emotion recognition for the JVM. The API is {@code dev.ser4j} ({@code EmotionRecognizer},
 * {@code Prediction}) and {@code dev.ser4j.core} (a model's configuration, its classes, and the exceptions a user's
 * input can cause). Every other package is internal: it is exported only to ser4j's own command line (and the few
 * its ONNX exporter, the separate artifact dev.ser4j:ser4j-onnx, reads a trained model through).
 */
module dev.ser4j {
    requires com.fasterxml.jackson.databind;
    requires commons.math3;
    /** Optional: the MFCC runs on the Vector API when the JVM has this module (the launcher adds it). */
    requires static jdk.incubator.vector;

    exports dev.ser4j;
    exports dev.ser4j.core;

    exports dev.ser4j.audio to dev.ser4j.cli, dev.ser4j.onnx;
    exports dev.ser4j.backend to dev.ser4j.cli;
    exports dev.ser4j.check to dev.ser4j.cli;
    exports dev.ser4j.cpu to dev.ser4j.cli;
    exports dev.ser4j.cuda to dev.ser4j.cli;
    exports dev.ser4j.data to dev.ser4j.cli;
    exports dev.ser4j.io to dev.ser4j.cli, dev.ser4j.onnx;
    exports dev.ser4j.model to dev.ser4j.cli, dev.ser4j.onnx;
    exports dev.ser4j.pipeline to dev.ser4j.cli, dev.ser4j.onnx;
    exports dev.ser4j.runtime to dev.ser4j.cli;
    exports dev.ser4j.text to dev.ser4j.cli;
    exports dev.ser4j.train to dev.ser4j.cli;

    opens dev.ser4j.train to com.fasterxml.jackson.databind;
}
