package dev.ser4j.io;

import dev.ser4j.core.InputException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reading a file the user named: an I/O failure becomes one sentence naming the file, never a stack trace. */
public final class UserFiles {
    private UserFiles() {}

    /** The user-facing form of an I/O failure on {@code file}. */
    public static InputException problem(Path file, IOException e) {
        return e instanceof NoSuchFileException ? new InputException(file, "no such file")
                : new InputException(file, "cannot be read (" + e.getMessage() + ")");
    }

    /** Opens {@code file} for reading. */
    public static FileChannel open(Path file) {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw problem(file, e);
        }
    }

    /** All of {@code file}'s bytes. */
    public static byte[] readAllBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw problem(file, e);
        }
    }
}
