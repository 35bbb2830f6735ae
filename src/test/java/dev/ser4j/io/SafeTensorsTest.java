package dev.ser4j.io;

import dev.ser4j.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The safetensors reader and writer: round trips, other dtypes, and every kind of malformed file. */
class SafeTensorsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripKeepsValuesShapesAndMetadata() throws Exception {
        Path f = dir.resolve("a.safetensors");
        float[] w = {1.5f, -2f, 3.25f, 0f, Float.MIN_VALUE, -0f};
        SafeTensors.writer().metadata("variant", "mscnn-spu-att").f32("w", w, 2, 3).i32("n", new int[]{7, -1}, 2)
                .f32("scalar", new float[]{4f}).write(f);
        try (SafeTensors st = SafeTensors.open(f)) {
            assertEquals(Map.of("variant", "mscnn-spu-att"), st.metadata());
            assertEquals(java.util.List.of("w", "n", "scalar"), st.names());
            assertArrayEquals(w, st.floats("w", 2, 3));
            assertArrayEquals(new int[]{7, -1}, st.ints("n", 2));
            assertArrayEquals(new long[0], st.entry("scalar").shape());
            assertArrayEquals(new float[]{4f}, st.floats("scalar"));
        }
        assertEquals(0, (Files.size(f) - 8 - headerLength(f)) % 4);
        assertEquals(0, headerLength(f) % 8, "data is 8-byte aligned, as the reference writer does");
    }

    @Test
    void readsHalfBfloatDoubleAndInt64() throws Exception {
        ByteBuffer data = ByteBuffer.allocate(2 + 2 + 8 + 8).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort(Float.floatToFloat16(1.5f)).putShort((short) (Float.floatToIntBits(-2.5f) >>> 16)).putDouble(0.1).putLong(-3);
        Path f = raw(dir.resolve("d.safetensors"), "{\"h\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[2,4]},\"d\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[4,12]},"
                + "\"l\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[12,20]}}", data.array());
        try (SafeTensors st = SafeTensors.open(f)) {
            assertArrayEquals(new float[]{1.5f}, st.floats("h"));
            assertArrayEquals(new float[]{-2.5f}, st.floats("b"));
            assertArrayEquals(new float[]{0.1f}, st.floats("d"));
            assertArrayEquals(new int[]{-3}, st.ints("l"));
        }
    }

    @Test
    void rejectsEveryMalformedFileWithOneClearSentence() throws Exception {
        String ok = "{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        rejects(Files.write(dir.resolve("empty.st"), new byte[0]), "shorter than the 8-byte header length");
        rejects(lengthOnly(dir.resolve("huge.st"), 100L << 30), "header claims 107374182400 bytes");
        rejects(lengthOnly(dir.resolve("neg.st"), -1), "header claims 18446744073709551615 bytes");
        rejects(raw(dir.resolve("json.st"), "{not json", new byte[0]), "not valid JSON");
        rejects(raw(dir.resolve("array.st"), "[1,2]", new byte[0]), "not a JSON object");
        rejects(raw(dir.resolve("trunc.st"), ok, new byte[4]), "outside the 4-byte data section");
        rejects(raw(dir.resolve("count.st"), "{\"t\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]), "need 12");
        rejects(raw(dir.resolve("dtype.st"), "{\"t\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]), "dtype Q7");
        rejects(raw(dir.resolve("dim.st"), "{\"t\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", new byte[8]), "invalid dimension");
        rejects(raw(dir.resolve("overflow.st"), "{\"t\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", new byte[8]), "overflows");
        rejects(raw(dir.resolve("overlap.st"), "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]), "overlap");
        rejects(raw(dir.resolve("dup.st"), "{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]), "not valid JSON");
        rejects(raw(dir.resolve("meta.st"), "{\"__metadata__\":{\"k\":3}}", new byte[0]), "non-string __metadata__");
        rejects(dir.resolve("missing.st"), "no such file");
        Path good = raw(dir.resolve("good.st"), ok, new byte[8]);
        try (SafeTensors st = SafeTensors.open(good)) {
            InputException e = assertThrows(InputException.class, () -> st.floats("t", 3));
            assertTrue(e.getMessage().contains("has shape [2], expected [3]"), e.getMessage());
            assertThrows(InputException.class, () -> st.floats("absent"));
            assertThrows(InputException.class, () -> st.ints("t"), "F32 is not an integer type");
        }
    }

    @Test
    void truncatingAWrittenFileAnywhereIsDetected() throws Exception {
        Path f = dir.resolve("t.safetensors");
        SafeTensors.writer().f32("a", new float[100], 100).f32("b", new float[50], 5, 10).write(f);
        byte[] all = Files.readAllBytes(f);
        for (int cut : new int[]{0, 3, 8, 20, all.length / 2, all.length - 1}) {
            Path t = Files.write(dir.resolve("cut" + cut), java.util.Arrays.copyOf(all, cut));
            assertThrows(InputException.class, () -> { try (SafeTensors st = SafeTensors.open(t)) { st.floats("b"); } }, "cut at " + cut);
        }
    }

    private static void rejects(Path f, String phrase) {
        InputException e = assertThrows(InputException.class, () -> SafeTensors.open(f).close(), f.toString());
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(phrase), "expected '" + phrase + "' in: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    static Path raw(Path f, String header, byte[] data) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.write(h);
        out.write(data);
        return Files.write(f, out.toByteArray());
    }

    private static Path lengthOnly(Path f, long claimed) throws Exception {
        return Files.write(f, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(claimed).array());
    }

    private static long headerLength(Path f) throws Exception {
        return ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
