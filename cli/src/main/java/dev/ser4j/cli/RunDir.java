package dev.ser4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ser4j.core.InputException;
import dev.ser4j.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A run directory remembers the command that made it ({@code command.json}), so {@code --resume DIR} repeats exactly
 * that command and finds its saved state; a directory holding a run is never overwritten without {@code --resume}.
 */
final class RunDir {
    private RunDir() {}

    static final String COMMAND = "command.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Checks, before any work, that a new run can start in {@code dir}: refuses a directory that already holds a run
     * (which {@code resume}, e.g. {@code --resume DIR}, continues) and a file.
     */
    static void checkNew(Path dir, String resume) {
        if (Files.exists(dir.resolve(COMMAND)))
            throw new InputException("--out", dir + " already holds a run; continue it with " + resume + " or choose another directory");
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new InputException("--out", dir + " is a file, not a directory");
    }

    /**
     * Starts a new run in {@code dir}, refusing one that already holds a run. {@code args} are the command line's
     * arguments; those up to and including the subcommand's name are not stored.
     */
    static Started start(Path dir, String command, List<String> args) throws IOException {
        return start(dir, command, command, args);
    }

    /**
     * {@link #start(Path, String, List)} for a command whose recorded name ({@code spark cv}) is not the last word
     * before its arguments ({@code cv}).
     */
    static Started start(Path dir, String command, String subcommand, List<String> args) throws IOException {
        int at = args.indexOf(subcommand);
        if (at >= 0) args = args.subList(at + 1, args.size());
        checkNew(dir, "--resume " + dir);
        boolean created = !Files.exists(dir);
        Files.createDirectories(dir);
        var node = JSON.createObjectNode().put("command", command);
        node.putArray("args").addAll(args.stream().map(a -> (JsonNode) JSON.getNodeFactory().textNode(a)).toList());
        AtomicFiles.writeString(dir.resolve(COMMAND), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
        return new Started(dir, true, created);
    }

    /** The run in {@code dir} that {@code --resume} continues: nothing of it is ever abandoned. */
    static Started resumed(Path dir) {
        return new Started(dir, false, false);
    }

    /**
     * A run in {@code dir}: {@code fresh} when {@link #start} began it now, {@code created} when it made the directory
     * too.
     */
    record Started(Path dir, boolean fresh, boolean created) {
        /**
         * Undoes {@link #start} for a command refused before it did any work (its data could not be used): removes
         * {@code command.json}, and the directory when {@code start} made it and nothing else is in it. A resumed run
         * is left as it is.
         */
        void abandon() {
            if (!fresh) return;
            try {
                Files.deleteIfExists(dir.resolve(COMMAND));
                if (created) {
                    try (var s = Files.list(dir)) {
                        if (s.findAny().isEmpty()) Files.delete(dir);
                    }
                }
            } catch (IOException e) {
                // the command's own error is the one to report
            }
        }

        /** {@code work} (reading the data), {@linkplain #abandon abandoning} the run when it fails. */
        <T> T orAbandon(Supplier<T> work) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                abandon();
                throw e;
            }
        }
    }

    /**
     * {@code --resume DIR}: parses the arguments {@code dir}'s run was started with into a fresh command, marks it as
     * resuming (so it continues in the existing directory) and runs it.
     */
    static <C extends java.util.concurrent.Callable<Integer>> int resume(Path dir, String command, java.util.function.Supplier<C> fresh,
                                                                         java.util.function.Consumer<C> markResuming) throws Exception {
        List<String> args = storedArgs(dir, command);
        C again = fresh.get();
        markResuming.accept(again);
        new picocli.CommandLine(again).parseArgs(args.toArray(String[]::new));
        System.out.println("resuming the " + command + " in " + dir);
        return again.call();
    }

    /** The arguments of the command that made {@code dir}, checking that it was {@code command}. */
    static List<String> storedArgs(Path dir, String command) {
        Path f = dir.resolve(COMMAND);
        if (!Files.isRegularFile(f)) throw new InputException("--resume", dir + " holds no run to resume (no " + COMMAND + ")");
        try {
            JsonNode n = JSON.readTree(f.toFile());
            if (n == null || !command.equals(n.path("command").asText()))
                throw new InputException("--resume", dir + " holds a '" + n.path("command").asText() + "' run, not a '" + command + "' run");
            List<String> args = new ArrayList<>();
            n.path("args").forEach(a -> args.add(a.asText()));
            return args;
        } catch (IOException e) {
            throw new InputException(f, "is damaged (" + e.getMessage() + ")");
        }
    }
}
