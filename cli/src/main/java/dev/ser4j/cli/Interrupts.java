package dev.ser4j.cli;

import dev.ser4j.train.Trainer;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C during training: the shutdown hook raises {@link #stop}, then holds the JVM until the trainer has finished
 * its current step and saved its state ({@link #close}), at most five minutes.
 */
final class Interrupts implements AutoCloseable {
    final AtomicBoolean stop = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook = new Thread(() -> {
        stop.set(true);
        try {
            finished.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException ignored) {
            // the JVM is going down anyway
        }
    }, "ser4j-interrupt");

    Interrupts() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Work that can be stopped by Ctrl-C. */
    interface Work<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code work}; when Ctrl-C stopped it (its state saved), says how to continue ({@code ./ser4j RESUME}) and
     * rethrows, so that the command exits with status 130.
     */
    <T> T run(String resume, Work<T> work) throws Exception {
        try {
            return work.run();
        } catch (Trainer.Interrupted e) {
            System.out.println("ser4j: " + e.getMessage() + "; continue with ./ser4j " + resume);
            throw e;
        }
    }

    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it returns now that the state is saved
        }
    }
}
