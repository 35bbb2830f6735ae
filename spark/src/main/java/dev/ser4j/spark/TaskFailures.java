package dev.ser4j.spark;

import dev.ser4j.core.InputException;
import dev.ser4j.core.TrainingException;

import java.util.concurrent.ExecutionException;

/** A failed Spark job as the exception its task threw, where Spark kept it, so the command line reports it as cv would. */
final class TaskFailures {
    private TaskFailures() {}

    static RuntimeException unwrap(ExecutionException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof InputException || t instanceof TrainingException) return (RuntimeException) t;
        }
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return new IllegalStateException("a Spark task failed: " + firstLine(cause.getMessage()), cause);
    }

    private static String firstLine(String s) {
        if (s == null) return "(no message)";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
