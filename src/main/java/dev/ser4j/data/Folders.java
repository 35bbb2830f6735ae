package dev.ser4j.data;

import dev.ser4j.core.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A corpus folder's entries, the one way the readers list them. */
final class Folders {
    private Folders() {}

    /**
     * The entries of {@code dir} whose file name {@code accept}s, sorted by path; hidden entries (names starting with
     * {@code .}, such as macOS {@code ._} copies in some releases) are left out. A folder that cannot be listed is an
     * {@link InputException}.
     */
    static List<Path> list(Path dir, Predicate<Path> accept) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).filter(accept).sorted().toList();
        } catch (IOException e) {
            throw new InputException(dir, "cannot be listed (" + e.getMessage() + ")");
        }
    }

    /** Whether {@code p} is a regular file whose name ends in {@code .wav}, in any case. */
    static boolean isWav(Path p) {
        return p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".wav") && Files.isRegularFile(p);
    }

    /** {@code root/sub} when it is a folder (the corpus's release layout), otherwise {@code root} (the files copied out of it). */
    static Path within(Path root, String sub) {
        Path p = root.resolve(sub);
        return Files.isDirectory(p) ? p : root;
    }

    /** A file's name without its extension: the utterance id of corpora named by their files. */
    static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? n : n.substring(0, dot);
    }
}
