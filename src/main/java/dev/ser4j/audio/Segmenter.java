package dev.ser4j.audio;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Cuts a long recording into utterance-sized segments of speech: an energy voice-activity detector of our own
 * (no library does this for the JVM without native code, and the model only needs speech/pause boundaries, not
 * phonetic precision). Frames of 10 ms; a frame is speech when its energy is at least {@link #ON_DB} dB above a
 * tracked noise floor and above {@link #ABSOLUTE_DB} dBFS; a segment opens at the first of {@link #MIN_SPEECH}
 * speech frames in a row and closes after {@link #MIN_PAUSE} non-speech frames in a row (the segment then ends at the
 * last speech frame), or when it reaches {@link #MAX_FRAMES} frames with the padding before it (the model's window of
 * 750 MFCC frames, which 749 frames of 10 ms fill), where it is cut at the quietest frame of its second half so that
 * words are rarely split (the rest goes on as the next span). Each span is widened by {@link #PAD} frames on each side
 * that is a pause, within the recording; a pause is at least {@link #MIN_PAUSE} frames, so padded spans never overlap,
 * and no span is longer than the model's window.
 *
 * <p>The noise floor follows the quietest recent frames: it drops at once to a quieter frame and rises by
 * {@link #FLOOR_RISE_DB} dB per frame otherwise (0.6 dB/s), so a recording's background level is learnt in a few
 * seconds and speech never becomes the floor. It starts at {@link #ABSOLUTE_DB} (or the first frame, when that is
 * quieter), so speech from the first sample on is found; the price is that background noise louder than
 * {@code ABSOLUTE_DB + ON_DB} from the first sample on is taken for speech for a few seconds, until the floor rises to it.
 *
 * <p>Every decision depends on the frames seen so far only, frames are cut at fixed positions of the recording
 * (the rate's 10 ms), and a segment is reported when it is closed: feeding a recording in chunks of any size
 * ({@link Stream}) gives exactly the segments of the whole recording ({@link #segments}). Works at the recording's
 * own sample rate.
 */
public final class Segmenter {
    /** Energy above the noise floor that makes a frame speech, in dB. */
    public static final double ON_DB = 12;
    /** A frame quieter than this (dB relative to full scale) is never speech. */
    public static final double ABSOLUTE_DB = -55;
    /** How fast the floor rises, in dB per 10 ms frame. */
    public static final double FLOOR_RISE_DB = 0.006;
    /** Speech frames in a row that open a segment (30 ms). */
    public static final int MIN_SPEECH = 3;
    /** Non-speech frames in a row that close a segment (0.3 s). */
    public static final int MIN_PAUSE = 30;
    /** Longest segment, in 10 ms frames with its padding, exclusive: 749 frames of audio give the model's 750 MFCC frames. */
    public static final int MAX_FRAMES = 750;
    /** Frames added on each side of a segment (0.1 s). */
    public static final int PAD = 10;

    /** A span of a recording, in samples at the recording's rate: {@code [start, end)}. */
    public record Span(long start, long end, int sampleRate) {
        /** Start in seconds. */
        public double startSeconds() { return (double) start / sampleRate; }

        /** End in seconds. */
        public double endSeconds() { return (double) end / sampleRate; }
    }

    private Segmenter() {}

    /** The segments of speech of a whole recording. */
    public static List<Span> spans(float[] samples, int sampleRate) {
        List<Span> out = new ArrayList<>();
        Stream s = new Stream(sampleRate, out::add);
        s.accept(samples, 0, samples.length);
        s.finish();
        return out;
    }

    /**
     * The segmenter over a recording that arrives in chunks: {@link #accept} each chunk, {@link #finish} at the end;
     * each segment goes to the consumer as soon as it is closed. It keeps one frame of samples and the current
     * segment's frame energies (at most {@link #MAX_FRAMES} plus a pause), so its memory is bounded.
     */
    public static final class Stream {
        private final int rate, frame;
        private final Consumer<Span> out;
        private final float[] pending;
        private int pendingLength;
        private long frames;                      // frames completed so far
        private double floor = Double.NaN;
        private int speechRun, pauseRun;
        private long open = -1, lastSpeech = -1;  // first and last speech frame of the open span; -1 when none is open
        private boolean openedByCut;              // the open span continues one cut at the model's length: no padding before it
        private final double[] energies = new double[MAX_FRAMES + 1];   // the latest frames' energies, by frame index

        public Stream(int sampleRate, Consumer<Span> out) {
            if (sampleRate < 100) throw new IllegalArgumentException("sample rate " + sampleRate);
            this.rate = sampleRate;
            this.frame = sampleRate / 100;
            this.out = out;
            this.pending = new float[frame];
        }

        /** The next {@code length} samples of the recording. */
        public void accept(float[] samples, int offset, int length) {
            for (int i = 0; i < length; i++) {
                pending[pendingLength++] = samples[offset + i];
                if (pendingLength == frame) {
                    step(energy(pending));
                    pendingLength = 0;
                }
            }
        }

        /** The end of the recording: closes an open span. */
        public void finish() {
            if (open >= 0) emit(open, lastSpeech + 1, frames * frame + pendingLength);
            open = -1;
        }

        /**
         * The first sample a span reported later can start at: callers that keep the recording's samples for the
         * spans (to predict them) may drop everything before it.
         */
        public long earliestNeeded() {
            return open >= 0 ? paddedStart() * frame : Math.max(0, (frames - MIN_SPEECH - PAD) * frame);
        }

        private static double energy(float[] x) {
            double s = 0;
            for (float v : x) s += (double) v * v;
            return 10 * Math.log10(s / x.length + 1e-12);
        }

        private void step(double e) {
            long t = frames++;
            // the floor starts at ABSOLUTE_DB, not at the first frame: a recording that starts with speech would make that
            // speech the floor, and it would never be found
            floor = Double.isNaN(floor) ? Math.min(e, ABSOLUTE_DB) : e < floor ? e : floor + FLOOR_RISE_DB;
            boolean speech = e >= ABSOLUTE_DB && e >= floor + ON_DB;
            energies[(int) (t % energies.length)] = e;
            if (speech) {
                speechRun++;
                pauseRun = 0;
                if (open < 0 && speechRun >= MIN_SPEECH) {
                    open = t - MIN_SPEECH + 1;
                    openedByCut = false;
                }
                if (open >= 0) lastSpeech = t;
            } else {
                speechRun = 0;
                pauseRun++;
                // the pause (30 frames) is longer than the padding (10): the samples after the span are here already
                if (open >= 0 && pauseRun >= MIN_PAUSE) {
                    emit(open, lastSpeech + 1, Long.MAX_VALUE);
                    open = -1;
                }
            }
            // the padding before the span counts: with it, a span that reached MAX_FRAMES would be 1 + 750 MFCC frames
            if (open >= 0 && t + 1 - paddedStart() >= MAX_FRAMES) cutLong(t + 1);
        }

        /** The first frame of the open span as it will be reported: padded before unless it continues a cut. */
        private long paddedStart() {
            return openedByCut ? open : Math.max(0, open - PAD);
        }

        /**
         * The open span has the model's length: cut it at the quietest frame of its second half; the rest stays open.
         * The span reported ends before the cut frame, so it holds at most {@code MAX_FRAMES - 1} frames.
         */
        private void cutLong(long end) {
            long start = paddedStart(), cut = end - 1;
            double quietest = Double.POSITIVE_INFINITY;
            for (long f = start + MAX_FRAMES / 2; f < end; f++) {
                double e = energies[(int) (f % energies.length)];
                if (e < quietest) {
                    quietest = e;
                    cut = f;
                }
            }
            out.accept(new Span(start * frame, cut * frame, rate));
            open = cut;
            openedByCut = true;
            lastSpeech = Math.max(lastSpeech, cut);
        }

        /** Reports {@code [startFrame, endFrame)} padded: before it unless it continues a cut, after it up to {@code limit}. */
        private void emit(long startFrame, long endFrame, long limit) {
            long padding = (long) PAD * frame;
            long start = openedByCut ? startFrame * frame : Math.max(0, startFrame * frame - padding);
            out.accept(new Span(start, Math.min(limit, endFrame * frame + padding), rate));
        }
    }
}
