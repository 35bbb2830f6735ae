package dev.ser4j.audio;

import dev.ser4j.core.InputException;
import dev.ser4j.io.AtomicFiles;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A RIFF/WAVE file's audio as mono float samples, and the 16-bit PCM writer the project uses.
 *
 * <p>{@link #read(Path)} accepts integer PCM of 8 (unsigned), 16, 24 and 32 bits, IEEE float of 32 and 64
 * bits, and {@code WAVE_FORMAT_EXTENSIBLE} whose sub-format is one of those. Samples are scaled as librosa
 * (through soundfile) does: {@code (u8 - 128) / 128}, {@code int16 / 32768}, {@code int24 / 2^23},
 * {@code int32 / 2^31}; floats are taken as they are. Any number of channels is mixed to mono by their mean.
 *
 * <p>The reader walks the chunks (skipping unknown ones, honouring the pad byte after an odd-sized chunk,
 * accepting a {@code fmt } chunk longer than 16 bytes) and checks every size against the file's real length
 * before it reads or allocates anything. It rejects, with an {@link InputException} naming the file: a file
 * that is not RIFF/WAVE, a missing {@code fmt } or {@code data} chunk, zero channels, a zero or absurd sample
 * rate, a format or bit depth it does not decode, an inconsistent block size, and a <b>truncated data chunk</b>
 * (one whose declared size runs past the end of the file: that file was cut short, and decoding the part that
 * is there would silently hide it). Bytes of an incomplete last frame at the end of a complete data chunk are
 * ignored, as libsndfile does.
 *
 * @param samples    mono samples, nominally in [-1, 1]
 * @param sampleRate samples per second
 * @param channels   channel count of the file (mixed to mono in {@code samples})
 * @param encoding   how the file stored each sample
 */
public record Wav(float[] samples, int sampleRate, int channels, Encoding encoding) {

    /** The sample encodings the reader decodes. */
    public enum Encoding {
        PCM_U8(8, "8-bit unsigned PCM"), PCM_S16(16, "16-bit PCM"), PCM_S24(24, "24-bit PCM"),
        PCM_S32(32, "32-bit PCM"), FLOAT32(32, "32-bit float"), FLOAT64(64, "64-bit float");

        /** Bits per sample in the file. */
        public final int bits;
        /** Human-readable name, e.g. "16-bit PCM". */
        public final String description;

        Encoding(int bits, String description) {
            this.bits = bits;
            this.description = description;
        }
    }

    /** Sample rates above this are rejected as absurd (the fastest common studio rate is 768 kHz). */
    public static final int MAX_SAMPLE_RATE = 768_000;

    private static final int FORMAT_PCM = 0x0001, FORMAT_FLOAT = 0x0003, FORMAT_EXTENSIBLE = 0xFFFE;
    /** Bytes 4..15 of the KSDATAFORMAT_SUBTYPE_* GUIDs; bytes 0..3 hold the plain format code. */
    private static final byte[] GUID_SUFFIX = {0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA,
            0x00, 0x38, (byte) 0x9B, 0x71};
    private static final int HEADER_BYTES = 44;

    /** Duration in seconds. */
    public double seconds() {
        return (double) samples.length / sampleRate;
    }

    /**
     * Reads a WAV file and mixes it to mono.
     *
     * @throws InputException if the file is missing, unreadable, malformed or in an encoding not listed in
     *                        {@link Encoding}; the message names the file and the problem
     */
    public static Wav read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, new FileBytes(ch));
        } catch (IOException e) {
            throw dev.ser4j.io.UserFiles.problem(file, e);
        }
    }

    /**
     * {@link #read(Path)} over a whole file's bytes held in memory (tests, fuzzing); {@code name} stands for the
     * file in messages.
     *
     * @throws InputException as {@link #read(Path)}
     */
    public static Wav parse(byte[] bytes, String name) {
        Path file = Path.of(name);
        try {
            return read(file, new MemoryBytes(bytes));
        } catch (IOException e) {
            throw new InputException(file, "cannot be read (" + e.getMessage() + ")");
        }
    }

    /** Where the bytes come from: positional reads of an open file, or of memory. */
    private interface Bytes {
        long size() throws IOException;

        /** Reads up to {@code dst.remaining()} bytes from {@code pos} on; -1 at the end. */
        int read(ByteBuffer dst, long pos) throws IOException;
    }

    private record FileBytes(FileChannel ch) implements Bytes {
        public long size() throws IOException { return ch.size(); }

        public int read(ByteBuffer dst, long pos) throws IOException { return ch.read(dst, pos); }
    }

    private record MemoryBytes(byte[] bytes) implements Bytes {
        public long size() { return bytes.length; }

        public int read(ByteBuffer dst, long pos) {
            if (pos >= bytes.length) return -1;
            int n = (int) Math.min(dst.remaining(), bytes.length - pos);
            dst.put(bytes, (int) pos, n);
            return n;
        }
    }

    private record Format(Encoding encoding, int channels, int sampleRate, int blockAlign) {}

    private static Wav read(Path file, Bytes ch) throws IOException {
        long size = ch.size();
        if (size < 12) throw new InputException(file, "is not a WAV file: " + size + " bytes, shorter than a RIFF header");
        ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        readAt(ch, b, 0, 12);
        String riff = fourCc(b, 0), wave = fourCc(b, 8);
        if (riff.equals("RF64")) throw new InputException(file, "is an RF64 (over 4 GB) WAV file, which is not supported");
        if (!riff.equals("RIFF") || !wave.equals("WAVE"))
            throw new InputException(file, "is not a WAV file (it starts with '" + riff + "', not 'RIFF....WAVE')");

        Format fmt = null;
        long dataStart = -1, dataBytes = -1;
        long pos = 12;
        while (pos + 8 <= size && (fmt == null || dataStart < 0)) {
            readAt(ch, b, pos, 8);
            String id = fourCc(b, 0);
            long chunkBytes = Integer.toUnsignedLong(b.getInt(4));
            long body = pos + 8, left = size - body;
            if (chunkBytes > left) {
                String what = id.equals("data") ? "its data chunk" : "its '" + id + "' chunk";
                throw new InputException(file, what + " declares " + chunkBytes + " bytes but only " + left
                        + " follow (truncated file?)");
            }
            if (id.equals("fmt ") && fmt == null) {
                if (chunkBytes < 16) throw new InputException(file, "has a " + chunkBytes + "-byte fmt chunk, shorter than the 16 bytes it needs");
                int n = (int) Math.min(chunkBytes, 40);
                readAt(ch, b, body, n);
                fmt = parseFormat(file, b, n);
            } else if (id.equals("data") && dataStart < 0) {
                dataStart = body;
                dataBytes = chunkBytes;
            }
            pos = body + chunkBytes + (chunkBytes & 1);
        }
        if (fmt == null) throw new InputException(file, "has no 'fmt ' chunk, so its sample format is unknown");
        if (dataStart < 0) throw new InputException(file, "has no 'data' chunk");

        long frames = dataBytes / fmt.blockAlign;
        if (frames > Integer.MAX_VALUE - 8)
            throw new InputException(file, "holds " + frames + " frames, more than the " + (Integer.MAX_VALUE - 8) + " ser4j reads at once");
        float[] mono = decode(file, ch, dataStart, (int) frames, fmt);
        return new Wav(mono, fmt.sampleRate, fmt.channels, fmt.encoding);
    }

    /** Parses the first {@code n} (16..40) bytes of a fmt chunk, now at the start of {@code b}. */
    private static Format parseFormat(Path file, ByteBuffer b, int n) {
        int tag = Short.toUnsignedInt(b.getShort(0));
        int channels = Short.toUnsignedInt(b.getShort(2));
        long rate = Integer.toUnsignedLong(b.getInt(4));
        int blockAlign = Short.toUnsignedInt(b.getShort(12));
        int bits = Short.toUnsignedInt(b.getShort(14));
        if (tag == FORMAT_EXTENSIBLE) {
            if (n < 40) throw new InputException(file, "is WAVE_FORMAT_EXTENSIBLE but its fmt chunk has " + n + " bytes, not the 40 that format needs");
            byte[] suffix = new byte[12];
            b.get(28, suffix);
            int sub = b.getInt(24);
            if (!Arrays.equals(suffix, GUID_SUFFIX) || (sub != FORMAT_PCM && sub != FORMAT_FLOAT))
                throw new InputException(file, "is WAVE_FORMAT_EXTENSIBLE with a sub-format other than PCM or IEEE float, which ser4j does not decode");
            tag = sub;
        }
        if (channels == 0) throw new InputException(file, "declares 0 channels");
        if (rate == 0) throw new InputException(file, "declares a sample rate of 0 Hz");
        if (rate > MAX_SAMPLE_RATE)
            throw new InputException(file, "declares a sample rate of " + rate + " Hz; at most " + MAX_SAMPLE_RATE + " Hz is accepted");
        Encoding enc = switch (tag) {
            case FORMAT_PCM -> switch (bits) {
                case 8 -> Encoding.PCM_U8;
                case 16 -> Encoding.PCM_S16;
                case 24 -> Encoding.PCM_S24;
                case 32 -> Encoding.PCM_S32;
                default -> throw new InputException(file, "is " + bits + "-bit PCM; ser4j reads 8, 16, 24 or 32-bit PCM");
            };
            case FORMAT_FLOAT -> switch (bits) {
                case 32 -> Encoding.FLOAT32;
                case 64 -> Encoding.FLOAT64;
                default -> throw new InputException(file, "is " + bits + "-bit IEEE float; ser4j reads 32 or 64-bit float");
            };
            default -> throw new InputException(file, "uses WAV format code 0x" + String.format("%04X", tag) + formatName(tag)
                    + "; ser4j reads PCM (1), IEEE float (3) and WAVE_FORMAT_EXTENSIBLE of those");
        };
        int expectedAlign = channels * (bits / 8);
        if (blockAlign != expectedAlign)
            throw new InputException(file, "has an inconsistent fmt chunk: block align " + blockAlign + " bytes, but "
                    + channels + " channel(s) of " + bits + " bits need " + expectedAlign);
        return new Format(enc, channels, (int) rate, blockAlign);
    }

    private static String formatName(int tag) {
        return switch (tag) {
            case 0x0002 -> " (MS ADPCM)";
            case 0x0006 -> " (A-law)";
            case 0x0007 -> " (mu-law)";
            case 0x0011 -> " (IMA ADPCM)";
            case 0x0055 -> " (MP3)";
            default -> "";
        };
    }

    /**
     * Decodes {@code frames} frames starting at {@code start}, mixing channels by their mean. A float file's sample
     * can be NaN, infinite, or (64-bit) beyond the float range: every mixed sample is checked to be finite.
     */
    private static float[] decode(Path file, Bytes ch, long start, int frames, Format f) throws IOException {
        float[] out = new float[frames];
        int framesPerRead = Math.max(1, (1 << 16) / f.blockAlign);
        ByteBuffer buf = ByteBuffer.allocate(framesPerRead * f.blockAlign).order(ByteOrder.LITTLE_ENDIAN);
        int bytesPerSample = f.encoding.bits / 8;
        short[] pcm16 = f.encoding == Encoding.PCM_S16 ? new short[framesPerRead * f.channels] : null;
        for (int done = 0; done < frames; ) {
            int now = Math.min(framesPerRead, frames - done);
            readAt(ch, buf, start + (long) done * f.blockAlign, now * f.blockAlign);
            if (pcm16 != null) {                                   // the common case, in bulk: always finite
                buf.flip().asShortBuffer().get(pcm16, 0, now * f.channels);
                decodePcm16(pcm16, now, f.channels, out, done);
                done += now;
                continue;
            }
            for (int i = 0; i < now; i++) {
                int at = i * f.blockAlign;
                if (f.channels == 1) {
                    out[done + i] = (float) sample(buf, at, f.encoding);
                } else {
                    double sum = 0;
                    for (int c = 0; c < f.channels; c++) sum += sample(buf, at + c * bytesPerSample, f.encoding);
                    out[done + i] = (float) (sum / f.channels);
                }
                if (!Float.isFinite(out[done + i]))
                    throw new InputException(file, "has a NaN, infinite or out-of-range sample in frame " + (done + i)
                            + "; a " + f.encoding.description + " WAV must hold finite samples");
            }
            done += now;
        }
        return out;
    }

    /** {@code frames} frames of 16-bit samples into {@code out[at..]}: the values {@link #sample} gives, mixed as decode mixes. */
    private static void decodePcm16(short[] s, int frames, int channels, float[] out, int at) {
        if (channels == 1) {
            for (int i = 0; i < frames; i++) out[at + i] = (float) (s[i] / 32768.0);
            return;
        }
        for (int i = 0; i < frames; i++) {
            double sum = 0;
            for (int c = 0; c < channels; c++) sum += s[i * channels + c] / 32768.0;
            out[at + i] = (float) (sum / channels);
        }
    }

    /** One sample at byte offset {@code at}, scaled to [-1, 1) for integer formats. Exact in double. */
    private static double sample(ByteBuffer b, int at, Encoding e) {
        return switch (e) {
            case PCM_U8 -> ((b.get(at) & 0xFF) - 128) / 128.0;
            case PCM_S16 -> b.getShort(at) / 32768.0;
            case PCM_S24 -> ((b.get(at) & 0xFF) | (b.get(at + 1) & 0xFF) << 8 | b.get(at + 2) << 16) / 8388608.0;
            case PCM_S32 -> b.getInt(at) / 2147483648.0;
            case FLOAT32 -> b.getFloat(at);
            case FLOAT64 -> b.getDouble(at);
        };
    }

    private static void readAt(Bytes ch, ByteBuffer b, long pos, int n) throws IOException {
        b.clear().limit(n);
        while (b.hasRemaining()) {
            int r = ch.read(b, pos + b.position());
            if (r < 0) throw new EOFException("unexpected end of file");
        }
    }

    private static String fourCc(ByteBuffer b, int at) {
        StringBuilder s = new StringBuilder(4);
        for (int i = 0; i < 4; i++) {
            int c = b.get(at + i) & 0xFF;
            s.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
        }
        return s.toString();
    }

    // ---- writing -------------------------------------------------------------------------------------------

    /**
     * Writes mono samples as a 16-bit PCM WAV at {@code sampleRate} with the standard 44-byte header, atomically
     * (a crash leaves the old file or the complete new one). Samples are clipped to [-1, 32767/32768] and
     * rounded to the nearest int16 ({@link #toPcm16(float)}).
     *
     * @throws IllegalArgumentException if a sample is NaN or infinite, or the data exceeds the 4 GB RIFF limit
     */
    public static void writePcm16(Path file, float[] samples, int sampleRate) throws IOException {
        byte[] bytes = encodePcm16(samples, sampleRate);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** Writes the same bytes as {@link #writePcm16(Path, float[], int)} to a stream. */
    public static void writePcm16(OutputStream out, float[] samples, int sampleRate) throws IOException {
        out.write(encodePcm16(samples, sampleRate));
    }

    /** The complete file: 44-byte header, then little-endian int16 samples. */
    static byte[] encodePcm16(float[] samples, int sampleRate) {
        long dataBytes = 2L * samples.length;
        if (HEADER_BYTES - 8 + dataBytes > 0xFFFF_FFFFL || HEADER_BYTES + dataBytes > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException(samples.length + " samples do not fit one RIFF file");
        if (sampleRate <= 0) throw new IllegalArgumentException("sample rate " + sampleRate);
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + (int) dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) (HEADER_BYTES - 8 + dataBytes))
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) FORMAT_PCM).putShort((short) 1).putInt(sampleRate).putInt(2 * sampleRate)
                .putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) dataBytes);
        for (float x : samples) b.putShort(toPcm16(x));
        return b.array();
    }

    /**
     * One sample as int16: clip to [-1, 32767/32768], scale by 32768, round half to even. The inverse of the
     * reader's {@code int16 / 32768} for every int16 value.
     *
     * @throws IllegalArgumentException for NaN or an infinite sample
     */
    public static short toPcm16(float x) {
        if (!Float.isFinite(x)) throw new IllegalArgumentException("sample " + x + " is not finite");
        double clipped = Math.max(-1.0, Math.min(32767.0 / 32768.0, x));
        return (short) Math.rint(clipped * 32768.0);
    }
}
