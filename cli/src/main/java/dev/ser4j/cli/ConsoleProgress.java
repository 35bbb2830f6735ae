package dev.ser4j.cli;

import dev.ser4j.io.Progress;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The command line's {@link Progress}: an ASCII bar on stderr, and only when a person watches a terminal. */
final class ConsoleProgress implements Progress {
    private ConsoleProgress() {}

    /** Bars when stderr is a terminal (not a CI log or a pipe), otherwise {@link Progress#NONE}. */
    static Progress forTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal() ? new ConsoleProgress() : NONE;
    }

    @Override
    public Task start(String name, long total) {
        ProgressBar bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250).hideEta().setConsumer(new ConsoleProgressBarConsumer(System.err, 100))
                .clearDisplayOnFinish().build();
        return new Task() {
            @Override
            public void step() { bar.step(); }

            @Override
            public void stepTo(long done) { bar.stepTo(done); }

            @Override
            public void message(String status) { bar.setExtraMessage(status); }

            @Override
            public void close() { bar.close(); }
        };
    }
}
