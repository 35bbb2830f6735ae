package dev.ser4j.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ser4j.core.InputException;
import dev.ser4j.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;

/** A finished cross-validation run as JSON, so a resumed cross-validation reads it back instead of repeating it. */
final class RunFiles {
    private RunFiles() {}

    // Non-finite numbers (a missing dev set's NaN) are written as the strings "NaN"/"Infinity" and read back.
    private static final ObjectMapper JSON = new ObjectMapper();

    static void write(CrossValidation.Run run, Path file) throws IOException {
        AtomicFiles.writeString(file, JSON.writeValueAsString(run));
    }

    static CrossValidation.Run read(Path file) {
        try {
            return JSON.readValue(file.toFile(), CrossValidation.Run.class);
        } catch (JsonProcessingException e) {
            throw new InputException(file, "is a damaged run result (" + e.getOriginalMessage() + "); delete it to repeat that run");
        } catch (IOException e) {
            throw new InputException(file, "cannot be read (" + e.getMessage() + ")");
        }
    }
}
