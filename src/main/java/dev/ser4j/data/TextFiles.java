package dev.ser4j.data;

import dev.ser4j.core.InputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Small text files (manifests, label files, id lists) read whole, with a size limit checked first. */
final class TextFiles {
    private TextFiles() {}

    /** Text files larger than this are rejected before being read: these files are kilobytes to megabytes. */
    static final long MAX_BYTES = 1L << 30;

    /** The file as UTF-8 text (invalid bytes become U+FFFD), without a leading byte-order mark. */
    static String read(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) throw new InputException(file, "is " + size + " bytes, larger than the " + MAX_BYTES + " accepted for a text file");
            return text(Files.readAllBytes(file));
        } catch (IOException e) {
            throw dev.ser4j.io.UserFiles.problem(file, e);
        }
    }

    /** The file's lines (LF or CRLF). */
    static List<String> lines(Path file) {
        return read(file).lines().toList();
    }

    /** A file's bytes as {@link #read} gives them: UTF-8 (invalid bytes become U+FFFD), without a leading byte-order mark. */
    static String text(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** A file's bytes as {@link #lines(Path)} gives them. */
    static List<String> lines(byte[] bytes) {
        return text(bytes).lines().toList();
    }
}
