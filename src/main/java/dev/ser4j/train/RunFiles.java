package dev.ser4j.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ser4j.core.InputException;
import dev.ser4j.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A finished cross-validation run as JSON, so a resumed cross-validation reads it back instead of repeating it (and a
 * cluster's task sends it back to the driver).
 */
public final class RunFiles {
    private RunFiles() {}

    // Non-finite numbers (a missing dev set's NaN) are written as the strings "NaN"/"Infinity" and read back.
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void write(CrossValidation.Run run, Path file) throws IOException {
        AtomicFiles.writeString(file, json(run));
    }

    /** The run as the JSON text of its file. */
    public static String json(CrossValidation.Run run) throws JsonProcessingException {
        return JSON.writeValueAsString(run);
    }

    /** A run from {@link #json}'s text; {@code source} names it in the error of a damaged one. */
    public static CrossValidation.Run parse(String json, String source) {
        try {
            return JSON.readValue(json, CrossValidation.Run.class);
        } catch (JsonProcessingException e) {
            throw new InputException(source, "is a damaged run result (" + e.getOriginalMessage() + ")");
        }
    }

    public static CrossValidation.Run read(Path file) {
        try {
            return JSON.readValue(file.toFile(), CrossValidation.Run.class);
        } catch (JsonProcessingException e) {
            throw new InputException(file, "is a damaged run result (" + e.getOriginalMessage() + "); delete it to repeat that run");
        } catch (IOException e) {
            throw new InputException(file, "cannot be read (" + e.getMessage() + ")");
        }
    }
}
