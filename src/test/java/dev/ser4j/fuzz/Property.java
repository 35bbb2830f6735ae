package dev.ser4j.fuzz;

import dev.ser4j.core.InputException;

import java.lang.management.ManagementFactory;
import java.util.function.Supplier;

/**
 * The property every fuzz target checks (issue 7): a parser given any bytes either returns a result, which the
 * target then checks is valid, or throws an {@link InputException} whose message names the input and gives a
 * reason, on one printable line (the command line prints it as it is: bytes of a hostile file must not break the
 * line or reach the terminal as control codes). Anything else fails the execution, and Jazzer reports it as a finding: another exception type, an error
 * (a stack overflow, an {@link OutOfMemoryError}), a hang (Jazzer's {@code -timeout}), and an allocation out of
 * proportion to the input.
 *
 * <p>The last is measured, not inferred from a crash: the bytes the parse allocates on the calling thread must
 * stay within {@link #ALLOWANCE} plus {@link #PER_INPUT_BYTE} per input byte. A header field that sizes an array
 * before it is checked against the bytes that follow breaks this on any heap, even when the claimed size fits.
 * A parse over the limit is run once more and only its second measurement counts: the first use of a class
 * allocates for loading, initializing and (when fuzzing) instrumenting it, on the same thread.
 */
final class Property {
    private Property() {}

    /** Fixed allowance per parse: read buffers (a word-vector file is read in 1 MB chunks), parser state. */
    static final long ALLOWANCE = 8L << 20;
    /**
     * Allowance per input byte: decoding to UTF-16 strings, line lists, JSON trees (a nested {@code [} costs an
     * array node), samples widened to float. Generous for real parsers, far below a size taken from a header.
     */
    static final long PER_INPUT_BYTE = 256;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * Runs {@code parse} over an input of {@code inputBytes} bytes; returns its result, or null when it rejected the
     * input with an {@link InputException} whose message starts with one of {@code names} (the input, or a file it
     * refers to) followed by a non-blank reason.
     */
    static <T> T resultOrInputException(long inputBytes, Supplier<T> parse, String... names) {
        long limit = ALLOWANCE + PER_INPUT_BYTE * inputBytes;
        long before = THREADS.getCurrentThreadAllocatedBytes();
        T result = run(parse, names);
        long used = THREADS.getCurrentThreadAllocatedBytes() - before;
        if (used > limit) {
            before = THREADS.getCurrentThreadAllocatedBytes();
            run(parse, names);
            used = THREADS.getCurrentThreadAllocatedBytes() - before;
            if (used > limit)
                throw new AssertionError("parsing " + inputBytes + " bytes allocated " + used + " bytes, more than the " + limit
                        + " allowed: an allocation is sized by something other than the input's length");
        }
        return result;
    }

    private static <T> T run(Supplier<T> parse, String[] names) {
        try {
            T result = parse.get();
            if (result == null) throw new AssertionError("the parser returned null");
            return result;
        } catch (InputException e) {
            checkMessage(e, names);
            return null;
        }
    }

    private static void checkMessage(InputException e, String[] names) {
        String m = e.getMessage();
        for (int i = 0; i < m.length(); i++) {
            int type = Character.getType(m.charAt(i));
            if (type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR)
                throw new AssertionError("InputException with the control character U+" + String.format("%04X", (int) m.charAt(i))
                        + " in its message: " + m, e);
        }
        for (String name : names) {
            if (m.startsWith(name) && e.source().startsWith(name)) {
                String reason = m.substring(e.source().length());
                if (reason.startsWith(": ") && !reason.substring(2).isBlank()) return;
                throw new AssertionError("InputException without a reason: " + m, e);
            }
        }
        throw new AssertionError("InputException that does not name the input (" + String.join(", ", names) + "): " + m, e);
    }

    /** Fails the execution unless {@code ok}; {@code what} says which property of a result was broken. */
    static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError("invalid result: " + what);
    }
}
