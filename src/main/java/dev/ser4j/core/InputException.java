package dev.ser4j.core;

import java.nio.file.Path;

/**
 * A problem with something the user gave ser4j: a file, a flag, a value. The message is one sentence
 * that names the input and what is wrong with it, fit to print as it is; the command line prints it and
 * exits with status 2. It is one printable line whatever the input held: line breaks and control characters
 * quoted from a file (a hostile one can hold terminal escape codes) are escaped as {@code \n}, {@code \u001B}.
 */
public class InputException extends RuntimeException {
    /** The input the problem is in (part of the serialized form). */
    private final String source;

    /**
     * A problem with a named input.
     *
     * @param source  the input: a file path, a flag, a tensor name
     * @param problem what is wrong with it, as the rest of the sentence
     */
    public InputException(String source, String problem) {
        super(printable(source + ": " + problem));
        this.source = source;
    }

    /**
     * A problem with a file.
     *
     * @param file    the file
     * @param problem what is wrong with it
     */
    public InputException(Path file, String problem) {
        this(file.toString(), problem);
    }

    /**
     * A problem with a named input, caused by another exception.
     *
     * @param source  the input
     * @param problem what is wrong with it
     * @param cause   the underlying failure
     */
    public InputException(String source, String problem, Throwable cause) {
        super(printable(source + ": " + problem), cause);
        this.source = source;
    }

    /**
     * The input the problem is in.
     *
     * @return a file path, a flag name, a tensor name
     */
    public String source() {
        return source;
    }

    /** {@code s} with every control character and line or paragraph separator escaped as Java writes it. */
    static String printable(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int type = Character.getType(c);
            boolean escape = type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
            if (escape && out == null) out = new StringBuilder(s.length() + 16).append(s, 0, i);
            if (!escape) {
                if (out != null) out.append(c);
            } else {
                out.append(switch (c) {
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    default -> String.format("\\u%04X", (int) c);
                });
            }
        }
        return out == null ? s : out.toString();
    }
}
