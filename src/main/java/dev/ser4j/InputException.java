package dev.ser4j;

import java.nio.file.Path;

/**
 * A problem with something the user gave ser4j: a file, a flag, a value. The message is one sentence
 * that names the input and what is wrong with it, fit to print as it is; the command line prints it and
 * exits with status 2.
 */
public class InputException extends RuntimeException {
    private final String source;

    /** A problem with a named input (a file path, a flag, a tensor name). */
    public InputException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
    }

    public InputException(Path file, String problem) {
        this(file.toString(), problem);
    }

    public InputException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
    }

    /** The input the problem is in, e.g. a file path or a flag name. */
    public String source() {
        return source;
    }
}
