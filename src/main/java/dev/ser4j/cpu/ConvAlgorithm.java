package dev.ser4j.cpu;

import dev.ser4j.backend.ConvShape;
import dev.ser4j.core.InputException;

import java.util.Locale;

/**
 * How the CPU backend computes one convolution shape: {@code DIRECT} (grouped im2col + sgemm, {@link Conv}) or
 * Winograd-style fast filtering with tiles of {@code points} inputs ({@link ConvWinograd}).
 *
 * <p>{@code auto} is the default: Winograd for the audio convolution, direct for the text one. Winograd is correct
 * (forward, input and weight gradients within 1e-5 of the double twin, {@code ConvWinogradTest}; the golden tests pass
 * with it at their tolerances), a whole training step ran about 1.4x as fast on an idle 2-core machine (BENCHMARKS.md,
 * "Whole workloads with fast filtering"), and RAVDESS's accuracy with it is the direct path's (README, "Recipes").
 * It is used for every call, one utterance included: the forward pass of one 450-frame utterance took as long with it
 * as with the direct path (median 3.8 against 4.1 ms, blocks of both interleaved in one JVM), and batches of 2 to 64
 * less time (BENCHMARKS.md, "Fast filtering by batch size"). The direct path stays the oracle and is selected by
 * {@code SER4J_CONV=direct}.
 *
 * @param winograd whether the fast path is used
 * @param points   the tile's input points L (even, at least the window + 1); 0 for the direct path
 */
public record ConvAlgorithm(boolean winograd, int points) {
    public static final ConvAlgorithm DIRECT = new ConvAlgorithm(false, 0);
    /**
     * The tile: every tile from 12 to 64 points keeps the audio forward within 5e-7 of the double twin (bound 1e-5,
     * {@code ConvWinogradTest}), so accuracy admits them all; 32 points (22 outputs) has the fewest operations per output
     * for the audio window of 11 taps ({@link #forwardFlops}: 77.7 k against 78.5 k at 40 points, 81-82 k at 24 and 48,
     * and 197 k for the direct convolution).
     */
    public static final int DEFAULT_POINTS = 32;

    public ConvAlgorithm {
        if (winograd && (points < 2 || points % 2 != 0)) throw new IllegalArgumentException("Winograd tile of " + points + " points (an even number is needed)");
        if (!winograd && points != 0) throw new IllegalArgumentException("the direct path has no tile");
    }

    /** {@code auto}: Winograd for windows of 7 taps or more (the audio convolution), direct below (the text one). */
    public static ConvAlgorithm auto(ConvShape s) {
        return s.maxOffset() - s.minOffset() + 1 >= 7 ? winograd(DEFAULT_POINTS) : DIRECT;
    }

    /**
     * The choice the environment asks for: {@code SER4J_CONV} or the system property {@code ser4j.conv}, one of
     * {@code auto} ({@link #auto}, the default), {@code direct}, {@code winograd} or {@code winograd:L}.
     *
     * @throws InputException for any other value, naming it (and, when a shape is asked for, for a tile too small for
     *                        its window)
     */
    public static java.util.function.Function<ConvShape, ConvAlgorithm> configured() {
        String name = System.getenv("SER4J_CONV") != null ? "SER4J_CONV" : "ser4j.conv";
        String v = setting();
        if (v.equalsIgnoreCase("auto")) return ConvAlgorithm::auto;
        ConvAlgorithm fixed;
        try {
            fixed = parse(v);
        } catch (IllegalArgumentException e) {
            throw new InputException(name, e.getMessage());
        }
        return s -> {
            int window = s.maxOffset() - s.minOffset() + 1;
            if (fixed.winograd && fixed.points < window + 1)
                throw new InputException(name, fixed + " has too few points for a convolution with a window of " + window
                        + " taps; use winograd:" + (window + 1 + (window + 1) % 2) + " or more");
            return fixed;
        };
    }

    /** What {@link #configured()} chooses, in words (for {@code ./ser4j info} and reports); never throws. */
    public static String describe() {
        String v = setting();
        if (v.equalsIgnoreCase("auto"))
            return "auto: winograd:" + DEFAULT_POINTS + " for windows of 7 taps or more (the audio convolution), direct below"
                    + " (the text convolution) " + (explicit() ? "(SER4J_CONV)" : "(the default; SER4J_CONV=direct|winograd[:L] chooses another)");
        try {
            return parse(v) + " for every convolution (SER4J_CONV)";
        } catch (IllegalArgumentException e) {
            return "invalid SER4J_CONV: " + e.getMessage();
        }
    }

    /** SER4J_CONV, else the system property ser4j.conv, else "auto"; trimmed. */
    private static String setting() {
        String env = System.getenv("SER4J_CONV");
        return (env != null ? env : System.getProperty("ser4j.conv", "auto")).trim();
    }

    private static boolean explicit() {
        return System.getenv("SER4J_CONV") != null || System.getProperty("ser4j.conv") != null;
    }

    public static ConvAlgorithm winograd(int points) {
        return new ConvAlgorithm(true, points);
    }

    /** {@code direct}, {@code winograd} (the default tile) or {@code winograd:L}. */
    public static ConvAlgorithm parse(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        if (v.equals("direct")) return DIRECT;
        if (v.equals("winograd")) return winograd(DEFAULT_POINTS);
        if (v.startsWith("winograd:")) {
            try {
                return winograd(Integer.parseInt(v.substring("winograd:".length())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("convolution algorithm '" + s + "': the tile after 'winograd:' must be an even number of points, e.g. winograd:32");
            }
        }
        throw new IllegalArgumentException("convolution algorithm '" + s + "': expected direct, winograd or winograd:L (L an even number of points)");
    }

    /**
     * Floating-point operations (multiply and add counted apart) of one forward and backward pass over one utterance of
     * {@code len} positions: the forward, the weight gradient, and the input gradient when {@code withDx}. Winograd
     * counts its products and transforms, not the weights' transform (once per call, shared by the batch).
     */
    public double trainingFlops(ConvShape s, int len, boolean withDx) {
        double ci = s.cin(), co = s.cout();
        if (!winograd) {
            double direct = 0;
            for (int k : s.kernels()) direct += 2.0 * len * ci * s.filters() * k;
            return (withDx ? 3 : 2) * direct;
        }
        int r = s.maxOffset() - s.minOffset() + 1, m = points - r + 1, p = 3 * (points / 2 - 1) + 2;
        double tiles = (len + m - 1) / m;
        double products = 2.0 * p * ci * co, in = 2.0 * p * points * ci, out = 2.0 * m * p * co;
        return tiles * ((in + products + out) + (out + products) + (withDx ? products + in : 0));
    }

    /** {@link #trainingFlops} of the forward pass alone. */
    public double forwardFlops(ConvShape s, int len) {
        if (!winograd) return trainingFlops(s, len, false) / 2;
        int r = s.maxOffset() - s.minOffset() + 1, m = points - r + 1, p = 3 * (points / 2 - 1) + 2;
        double tiles = (len + m - 1) / m;
        return tiles * (2.0 * p * points * s.cin() + 2.0 * p * s.cin() * s.cout() + 2.0 * m * p * s.cout());
    }

    @Override
    public String toString() {
        return winograd ? "winograd:" + points : "direct";
    }
}
