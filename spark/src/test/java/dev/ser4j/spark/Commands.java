package dev.ser4j.spark;

import dev.ser4j.cli.Main;
import dev.ser4j.spark.cli.SparkMain;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code ./ser4j} and {@code ./ser4j spark} command lines in this JVM, capturing their output. */
final class Commands {
    private Commands() {}

    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Run ser4j(String... args) {
        return capture(() -> Main.run(args));
    }

    static Run spark(String... args) {
        return capture(() -> SparkMain.run(args));
    }

    private static synchronized Run capture(java.util.function.IntSupplier command) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            return new Run(command.getAsInt(), out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Trains a small model on {@code manifest} with {@code options} (a few epochs, on the CPU). */
    static Path train(Path manifest, Path cache, Path model, String... options) {
        List<String> a = new ArrayList<>(List.of("train", "--data", "manifest:" + manifest, "--variant", "mscnn-spu-att", "--epochs", "2",
                "--batch-size", "16", "--backend", "cpu", "--cache", cache.toString(), "--out", model.toString()));
        a.addAll(List.of(options));
        Run r = ser4j(a.toArray(String[]::new));
        if (r.code() != 0) throw new AssertionError("training the test model failed: " + r);
        return model;
    }
}
