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

/**
 * A run directory remembers the command that made it ({@code command.json}), so {@code --resume DIR} repeats exactly
 * that command and finds its saved state; a directory holding a run is never overwritten without {@code --resume}.
 */
final class RunDir {
    private RunDir() {}

    static final String COMMAND = "command.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Starts a new run in {@code dir}, refusing one that already holds a run. {@code args} are the command line's
     * arguments; those up to and including the subcommand's name are not stored.
     */
    static void start(Path dir, String command, List<String> args) throws IOException {
        start(dir, command, command, args);
    }

    /**
     * {@link #start(Path, String, List)} for a command whose recorded name ({@code spark cv}) is not the last word
     * before its arguments ({@code cv}).
     */
    static void start(Path dir, String command, String subcommand, List<String> args) throws IOException {
        int at = args.indexOf(subcommand);
        if (at >= 0) args = args.subList(at + 1, args.size());
        if (Files.exists(dir.resolve(COMMAND)))
            throw new InputException("--out", dir + " already holds a run; continue it with --resume " + dir + " or choose another directory");
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new InputException("--out", dir + " is a file, not a directory");
        Files.createDirectories(dir);
        var node = JSON.createObjectNode().put("command", command);
        node.putArray("args").addAll(args.stream().map(a -> (JsonNode) JSON.getNodeFactory().textNode(a)).toList());
        AtomicFiles.writeString(dir.resolve(COMMAND), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
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
