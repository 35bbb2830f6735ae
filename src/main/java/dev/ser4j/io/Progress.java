package dev.ser4j.io;

/**
 * How a long task (feature extraction, an epoch) reports its progress. The command line draws a bar on a terminal;
 * a library caller sees nothing unless it passes a {@code Progress} of its own.
 */
@FunctionalInterface
public interface Progress {
    /** Reports nothing. */
    Progress NONE = (name, total) -> new Task() {
        @Override
        public void step() {}
    };

    /** Starts a task of {@code total} units. */
    Task start(String name, long total);

    /** A running task: {@link #step} after each unit of work, {@link #close} when it ends. */
    interface Task extends AutoCloseable {
        /** One more unit done. Thread-safe. */
        void step();

        /** {@code done} units done (a resumed task starts part-way). */
        default void stepTo(long done) {}

        /** A short status shown beside the progress, e.g. the running loss. */
        default void message(String status) {}

        @Override
        default void close() {}
    }
}
