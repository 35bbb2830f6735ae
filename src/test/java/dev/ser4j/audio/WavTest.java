package dev.ser4j.audio;

import dev.ser4j.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WAV decoding of every supported encoding, chunk walking, the rejections, and the 16-bit writer. */
class WavTest {
    @TempDir
    Path dir;

    // ---- building files by hand ----

    static byte[] chunk(String id, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(8 + body.length + (body.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(id.getBytes(StandardCharsets.US_ASCII)).putInt(body.length).put(body);
        return b.array();
    }

    static byte[] fmt(int tag, int channels, int rate, int bits) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        int align = channels * bits / 8;
        b.putShort((short) tag).putShort((short) channels).putInt(rate).putInt(rate * align).putShort((short) align).putShort((short) bits);
        return b.array();
    }

    /** WAVE_FORMAT_EXTENSIBLE with sub-format {@code sub} (1 PCM, 3 float) and the standard GUID tail. */
    static byte[] fmtExtensible(int sub, int channels, int rate, int bits) {
        ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        b.put(fmt(0xFFFE, channels, rate, bits)).putShort((short) 22).putShort((short) bits).putInt(0)
                .putInt(sub).put(new byte[]{0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71});
        return b.array();
    }

    static byte[] riff(byte[]... chunks) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("WAVE".getBytes(StandardCharsets.US_ASCII));
        for (byte[] c : chunks) body.writeBytes(c);
        ByteBuffer b = ByteBuffer.allocate(8 + body.size()).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(body.size()).put(body.toByteArray());
        return b.array();
    }

    static byte[] le(int bytesPerValue, long... values) {
        ByteBuffer b = ByteBuffer.allocate(bytesPerValue * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) for (int i = 0; i < bytesPerValue; i++) b.put((byte) (v >> (8 * i)));
        return b.array();
    }

    Wav readBytes(byte[] file) throws IOException {
        Path p = dir.resolve("in.wav");
        Files.write(p, file);
        return Wav.read(p);
    }

    String problem(byte[] file) throws IOException {
        Path p = dir.resolve("bad.wav");
        Files.write(p, file);
        InputException e = assertThrows(InputException.class, () -> Wav.read(p));
        assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        return e.getMessage().substring(p.toString().length() + 2);
    }

    // ---- decoding ----

    @Test
    void decodesEveryIntegerDepthWithLibrosasScaling() throws IOException {
        Wav u8 = readBytes(riff(chunk("fmt ", fmt(1, 1, 8000, 8)), chunk("data", new byte[]{0, (byte) 128, (byte) 255})));
        assertArrayEquals(new float[]{-1f, 0f, 127 / 128f}, u8.samples());
        assertEquals(Wav.Encoding.PCM_U8, u8.encoding());
        Wav s16 = readBytes(riff(chunk("fmt ", fmt(1, 1, 16000, 16)), chunk("data", le(2, -32768, -1, 1, 32767))));
        assertArrayEquals(new float[]{-1f, -1 / 32768f, 1 / 32768f, 32767 / 32768f}, s16.samples());
        Wav s24 = readBytes(riff(chunk("fmt ", fmt(1, 1, 48000, 24)), chunk("data", le(3, -8388608, -1, 8388607))));
        assertArrayEquals(new float[]{-1f, -1 / 8388608f, 8388607 / 8388608f}, s24.samples());
        Wav s32 = readBytes(riff(chunk("fmt ", fmt(1, 1, 44100, 32)), chunk("data", le(4, Integer.MIN_VALUE, 1 << 30))));
        assertArrayEquals(new float[]{-1f, 0.5f}, s32.samples());
        assertEquals(44100, s32.sampleRate());
    }

    @Test
    void decodesFloat32AndFloat64() throws IOException {
        ByteBuffer f = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.25f).putFloat(-1.5f);
        assertArrayEquals(new float[]{0.25f, -1.5f}, readBytes(riff(chunk("fmt ", fmt(3, 1, 16000, 32)), chunk("data", f.array()))).samples());
        ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.125).putDouble(1e-3);
        Wav w = readBytes(riff(chunk("fmt ", fmt(3, 1, 16000, 64)), chunk("data", d.array())));
        assertArrayEquals(new float[]{0.125f, (float) 1e-3}, w.samples());
        assertEquals(Wav.Encoding.FLOAT64, w.encoding());
    }

    @Test
    void decodesExtensiblePcmAndFloat() throws IOException {
        Wav pcm = readBytes(riff(chunk("fmt ", fmtExtensible(1, 1, 16000, 24)), chunk("data", le(3, 4194304))));
        assertArrayEquals(new float[]{0.5f}, pcm.samples());
        assertEquals(Wav.Encoding.PCM_S24, pcm.encoding());
        ByteBuffer f = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(-0.75f);
        Wav flt = readBytes(riff(chunk("fmt ", fmtExtensible(3, 1, 16000, 32)), chunk("data", f.array())));
        assertArrayEquals(new float[]{-0.75f}, flt.samples());
    }

    @Test
    void mixesChannelsByTheirMean() throws IOException {
        Wav stereo = readBytes(riff(chunk("fmt ", fmt(1, 2, 16000, 16)), chunk("data", le(2, 16384, 0, -32768, 32767))));
        assertEquals(2, stereo.channels());
        assertArrayEquals(new float[]{0.25f, (float) ((-32768 + 32767) / 32768.0 / 2)}, stereo.samples());
        Wav three = readBytes(riff(chunk("fmt ", fmt(1, 3, 16000, 16)), chunk("data", le(2, 3 * 1024, 0, 0))));
        assertArrayEquals(new float[]{1024 / 32768f}, three.samples());
    }

    /**
     * 16-bit PCM is decoded in bulk (a short buffer per read): random samples, mono to 3 channels, over several reads
     * (a read is 64 KB) and a partial last one, give exactly the per-frame definition, the channels' mean in double.
     */
    @Test
    void pcm16DecodesInBulkExactlyAsTheDefinitionOverManyReads() throws IOException {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(16);
        for (int channels = 1; channels <= 3; channels++) {
            int frames = 70_001;
            long[] v = new long[frames * channels];
            for (int i = 0; i < v.length; i++) v[i] = rnd.nextInt(-32768, 32768);
            v[0] = -32768;
            v[v.length - 1] = 32767;
            Wav w = readBytes(riff(chunk("fmt ", fmt(1, channels, 48000, 16)), chunk("data", le(2, v))));
            assertEquals(frames, w.samples().length);
            for (int i = 0; i < frames; i++) {
                double sum = 0;
                for (int c = 0; c < channels; c++) sum += v[i * channels + c] / 32768.0;
                assertEquals((float) (sum / channels), w.samples()[i], channels + " channel(s), frame " + i);
            }
        }
    }

    @Test
    void walksUnknownChunksPadBytesAndLongFmt() throws IOException {
        byte[] longFmt = Arrays.copyOf(fmt(1, 1, 16000, 16), 18);          // cbSize = 0
        byte[] odd = chunk("LIST", new byte[]{1, 2, 3});                     // 3 bytes + a pad byte
        Wav w = readBytes(riff(odd, chunk("fmt ", longFmt), chunk("junk", new byte[10]), chunk("data", le(2, 100, -100))));
        assertArrayEquals(new float[]{100 / 32768f, -100 / 32768f}, w.samples());
        Wav dataFirst = readBytes(riff(chunk("data", le(2, 7)), chunk("fmt ", fmt(1, 1, 22050, 16))));
        assertArrayEquals(new float[]{7 / 32768f}, dataFirst.samples());
        assertEquals(22050, dataFirst.sampleRate());
    }

    @Test
    void ignoresAnIncompleteLastFrame() throws IOException {
        byte[] data = Arrays.copyOf(le(2, 1000, 2000), 5);
        assertArrayEquals(new float[]{1000 / 32768f, 2000 / 32768f}, readBytes(riff(chunk("fmt ", fmt(1, 1, 16000, 16)), chunk("data", data))).samples());
    }

    // ---- rejections ----

    @Test
    void rejectsFilesThatAreNotWav() throws IOException {
        assertTrue(problem(new byte[0]).startsWith("is not a WAV file: 0 bytes"));
        assertTrue(problem("ID3\u0004 some mp3 bytes".getBytes(StandardCharsets.US_ASCII)).startsWith("is not a WAV file (it starts with 'ID3?'"));
        byte[] avi = riff(chunk("fmt ", fmt(1, 1, 16000, 16)));
        avi[8] = 'A'; avi[9] = 'V'; avi[10] = 'I'; avi[11] = ' ';
        assertTrue(problem(avi).startsWith("is not a WAV file"));
        Path missing = dir.resolve("missing.wav");
        assertEquals(missing + ": no such file", assertThrows(InputException.class, () -> Wav.read(missing)).getMessage());
    }

    @Test
    void rejectsMissingChunks() throws IOException {
        assertEquals("has no 'fmt ' chunk, so its sample format is unknown", problem(riff(chunk("data", le(2, 1)))));
        assertEquals("has no 'data' chunk", problem(riff(chunk("fmt ", fmt(1, 1, 16000, 16)))));
    }

    @Test
    void rejectsImpossibleFormats() throws IOException {
        byte[] data = chunk("data", le(2, 1, 2));
        assertEquals("declares 0 channels", problem(riff(chunk("fmt ", fmt(1, 0, 16000, 16)), data)));
        assertEquals("declares a sample rate of 0 Hz", problem(riff(chunk("fmt ", fmt(1, 1, 0, 16)), data)));
        assertTrue(problem(riff(chunk("fmt ", fmt(1, 1, 5_000_000, 16)), data)).startsWith("declares a sample rate of 5000000 Hz; at most 768000"));
        assertTrue(problem(riff(chunk("fmt ", fmt(6, 1, 8000, 8)), data)).startsWith("uses WAV format code 0x0006 (A-law)"));
        assertTrue(problem(riff(chunk("fmt ", fmt(1, 1, 16000, 12)), data)).startsWith("is 12-bit PCM"));
        assertTrue(problem(riff(chunk("fmt ", fmt(3, 1, 16000, 16)), data)).startsWith("is 16-bit IEEE float"));
        byte[] wrongGuid = fmtExtensible(1, 1, 16000, 16);
        wrongGuid[39] = 0;
        assertTrue(problem(riff(chunk("fmt ", wrongGuid), data)).startsWith("is WAVE_FORMAT_EXTENSIBLE with a sub-format other than"));
        byte[] badAlign = fmt(1, 2, 16000, 16);
        badAlign[12] = 2;
        assertTrue(problem(riff(chunk("fmt ", badAlign), data)).startsWith("has an inconsistent fmt chunk: block align 2 bytes, but 2 channel(s) of 16 bits need 4"));
        assertTrue(problem(riff(chunk("fmt ", Arrays.copyOf(fmt(1, 1, 16000, 16), 14)), data)).startsWith("has a 14-byte fmt chunk"));
    }

    @Test
    void rejectsNonFiniteFloatSamples() throws IOException {
        // fuzzing finding: float WAVs decoded NaN and infinity as samples, which then poisoned the features
        ByteBuffer nan = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.5f).putFloat(Float.NaN);
        assertEquals("has a NaN, infinite or out-of-range sample in frame 1; a 32-bit float WAV must hold finite samples",
                problem(riff(chunk("fmt ", fmt(3, 1, 16000, 32)), chunk("data", nan.array()))));
        ByteBuffer inf = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NEGATIVE_INFINITY);
        assertTrue(problem(riff(chunk("fmt ", fmtExtensible(3, 1, 16000, 32)), chunk("data", inf.array()))).startsWith("has a NaN, infinite"));
        ByteBuffer big = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(1e300);   // finite, but not as a float
        assertTrue(problem(riff(chunk("fmt ", fmt(3, 1, 16000, 64)), chunk("data", big.array()))).startsWith("has a NaN, infinite or out-of-range sample in frame 0"));
    }

    @Test
    void rejectsATruncatedDataChunkWithoutAllocatingItsDeclaredSize() throws IOException {
        byte[] file = riff(chunk("fmt ", fmt(1, 1, 16000, 16)), chunk("data", le(2, 1, 2, 3, 4)));
        byte[] cut = Arrays.copyOf(file, file.length - 3);
        assertEquals("its data chunk declares 8 bytes but only 5 follow (truncated file?)", problem(cut));
        // a header that claims 4 GB: checked against the file length before anything is allocated
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(file.length - 12, 0xFFFF_FFF0);
        assertEquals("its data chunk declares 4294967280 bytes but only 8 follow (truncated file?)", problem(file));
        byte[] list = riff(chunk("LIST", new byte[100]), chunk("fmt ", fmt(1, 1, 16000, 16)));
        assertTrue(problem(Arrays.copyOf(list, 60)).startsWith("its 'LIST' chunk declares 100 bytes but only 40 follow"));
    }

    // ---- writing ----

    @Test
    void writerRoundTripsEveryInt16Value() throws IOException {
        float[] all = new float[65536];
        for (int i = 0; i < all.length; i++) all[i] = (i - 32768) / 32768f;
        Path p = dir.resolve("all.wav");
        Wav.writePcm16(p, all, 16000);
        assertEquals(44 + 2 * 65536, Files.size(p));
        Wav back = Wav.read(p);
        assertArrayEquals(all, back.samples());
        assertEquals(16000, back.sampleRate());
        assertEquals(1, back.channels());
        assertEquals(Wav.Encoding.PCM_S16, back.encoding());
    }

    @Test
    void writerEmitsTheStandard44ByteHeader() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Wav.writePcm16(out, new float[]{0.5f, -0.5f, 0f}, 16000);
        ByteBuffer b = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(50, b.limit());
        assertEquals("RIFF", new String(out.toByteArray(), 0, 4, StandardCharsets.US_ASCII));
        assertEquals(42, b.getInt(4));
        assertEquals("WAVEfmt ", new String(out.toByteArray(), 8, 8, StandardCharsets.US_ASCII));
        assertEquals(16, b.getInt(16));
        assertEquals(1, b.getShort(20));
        assertEquals(1, b.getShort(22));
        assertEquals(16000, b.getInt(24));
        assertEquals(32000, b.getInt(28));
        assertEquals(2, b.getShort(32));
        assertEquals(16, b.getShort(34));
        assertEquals("data", new String(out.toByteArray(), 36, 4, StandardCharsets.US_ASCII));
        assertEquals(6, b.getInt(40));
        assertEquals(16384, b.getShort(44));
        assertEquals(-16384, b.getShort(46));
    }

    @Test
    void writerClipsAndRoundsHalfToEven() {
        assertEquals(32767, Wav.toPcm16(1.5f));
        assertEquals(32767, Wav.toPcm16(1f));
        assertEquals(-32768, Wav.toPcm16(-3f));
        assertEquals(0, Wav.toPcm16(0.5f / 32768));
        assertEquals(2, Wav.toPcm16(1.5f / 32768));
        assertEquals(-2, Wav.toPcm16(-1.5f / 32768));
        assertEquals(1, Wav.toPcm16(0.6f / 32768));
        assertThrows(IllegalArgumentException.class, () -> Wav.toPcm16(Float.NaN));
    }
}
