package dev.ser4j.io;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The one way ser4j draws progress: an ASCII bar on stderr, and only when a person watches a terminal. */
public final class Progress {
    private Progress() {}

    /** Whether stderr is a terminal (not a CI log or a pipe). */
    public static boolean interactive() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    /** A bar for {@code max} steps, or null when {@code wanted} is false or nobody watches a terminal. */
    public static ProgressBar bar(String task, long max, boolean wanted) {
        if (!wanted || !interactive()) return null;
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250).hideEta().setConsumer(new ConsoleProgressBarConsumer(System.err, 100))
                .clearDisplayOnFinish().build();
    }
}
