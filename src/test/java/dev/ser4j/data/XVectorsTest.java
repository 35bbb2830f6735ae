package dev.ser4j.data;

import dev.ser4j.core.InputException;
import dev.ser4j.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class XVectorsTest {
    @TempDir
    Path dir;

    // ---- writers of the formats, byte by byte ----

    /** Kaldi's binary int32: size byte 4, little-endian value. */
    private static void int32(ByteArrayOutputStream out, int v) {
        out.write(4);
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    /** One binary ark entry: {@code key \0BFV <dim> floats} (or DV with doubles). */
    private static void binaryVector(ByteArrayOutputStream out, String key, float[] v, boolean dbl) {
        out.writeBytes((key + " ").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(new byte[]{0, 'B'});
        out.writeBytes((dbl ? "DV " : "FV ").getBytes(StandardCharsets.US_ASCII));
        int32(out, v.length);
        ByteBuffer bb = ByteBuffer.allocate(v.length * (dbl ? 8 : 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) if (dbl) bb.putDouble(x); else bb.putFloat(x);
        out.writeBytes(bb.array());
    }

    private static void binaryMatrix(ByteArrayOutputStream out, String key, int rows, float[] v) {
        out.writeBytes((key + " ").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(new byte[]{0, 'B'});
        out.writeBytes("FM ".getBytes(StandardCharsets.US_ASCII));
        int32(out, rows);
        int32(out, v.length / rows);
        ByteBuffer bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) bb.putFloat(x);
        out.writeBytes(bb.array());
    }

    /** A .npy file: magic, version, little-endian header length, the dict padded to 64 bytes, the data. */
    private static byte[] npy(int major, String descr, String shape, boolean fortran, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }";
        int pre = major == 1 ? 10 : 12;
        int len = dict.length() + 1;
        int padded = (pre + len + 63) / 64 * 64 - pre;
        String header = dict + " ".repeat(padded - len) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        ByteBuffer l = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) l.putShort((short) header.length()); else l.putInt(header.length());
        out.writeBytes(l.array());
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static byte[] floats(ByteOrder order, float... v) {
        ByteBuffer bb = ByteBuffer.allocate(4 * v.length).order(order);
        for (float x : v) bb.putFloat(x);
        return bb.array();
    }

    private static byte[] doubles(double... v) {
        ByteBuffer bb = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) bb.putDouble(x);
        return bb.array();
    }

    private static XVectors ark(byte[] bytes, int dim) {
        return XVectors.parseArk("x.ark", MemorySegment.ofArray(bytes), dim);
    }

    private static InputException arkFails(byte[] bytes, int dim) {
        return assertThrows(InputException.class, () -> ark(bytes, dim));
    }

    // ---- Kaldi ----

    @Test
    void readsBinaryFloatAndDoubleVectorsAndOneRowMatrices() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        binaryVector(out, "Ses01F_impro01_F000", new float[]{1, 2, 3}, false);
        binaryVector(out, "Ses01F_impro01_M001", new float[]{4, 5, 6}, true);
        binaryMatrix(out, "utt3", 1, new float[]{7, 8, 9});
        XVectors x = ark(out.toByteArray(), 3);
        assertEquals(3, x.size());
        assertArrayEquals(new float[]{1, 2, 3}, x.get("Ses01F_impro01_F000", XVectors.Missing.ERROR));
        assertArrayEquals(new float[]{4, 5, 6}, x.get("Ses01F_impro01_M001", XVectors.Missing.ERROR));
        assertArrayEquals(new float[]{7, 8, 9}, x.get("utt3", XVectors.Missing.ERROR));
    }

    @Test
    void readsTextArchivesAndMixedArchives() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("a  [ 0.5 -1.25 3e-2 ]\nb  [\n  1 2\n  3 ]\n".getBytes(StandardCharsets.US_ASCII));
        binaryVector(out, "c", new float[]{4, 5, 6}, false);
        out.writeBytes("\nd [ 7 8 9 ]\n".getBytes(StandardCharsets.US_ASCII));
        XVectors x = ark(out.toByteArray(), 3);
        assertArrayEquals(new float[]{0.5f, -1.25f, 0.03f}, x.get("a", XVectors.Missing.ERROR));
        assertArrayEquals(new float[]{1, 2, 3}, x.get("b", XVectors.Missing.ERROR));
        assertArrayEquals(new float[]{4, 5, 6}, x.get("c", XVectors.Missing.ERROR));
        assertArrayEquals(new float[]{7, 8, 9}, x.get("d", XVectors.Missing.ERROR));
    }

    @Test
    void readsA512DimensionalArchiveFromAFile() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        float[] v = new float[XVectors.DEFAULT_DIM];
        for (int i = 0; i < v.length; i++) v[i] = i * 0.01f - 2;
        binaryVector(out, "u1", v, false);
        binaryVector(out, "u2", new float[XVectors.DEFAULT_DIM], false);
        Path f = dir.resolve("xvector.1.ark");
        Files.write(f, out.toByteArray());
        XVectors x = XVectors.read(f, XVectors.DEFAULT_DIM);
        assertEquals(512, x.dim());
        assertArrayEquals(v, x.get("u1", XVectors.Missing.ERROR));
    }

    @Test
    void truncatedArchiveIsAnErrorNamingTheKey() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        binaryVector(out, "first", new float[]{1, 2, 3}, false);
        binaryVector(out, "second", new float[]{4, 5, 6}, false);
        byte[] whole = out.toByteArray();
        int object = 2 + 3 + 5 + 3 * 4;     // \0B, "FV ", the dimension, the data
        for (int cut = whole.length - 1; cut >= whole.length - object; cut--) {
            InputException e = arkFails(Arrays.copyOf(whole, cut), 3);
            assertTrue(e.getMessage().startsWith("x.ark: ") && e.getMessage().contains("second"), cut + ": " + e.getMessage());
        }
        assertTrue(arkFails("a  [ 1 2 3 \n".getBytes(StandardCharsets.US_ASCII), 3).getMessage().contains("no closing"));
    }

    @Test
    void dimensionClaimedBeyondTheFileIsRejectedBeforeAllocating() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("k \0BFV ".getBytes(StandardCharsets.ISO_8859_1));
        int32(out, Integer.MAX_VALUE);
        InputException e = arkFails(out.toByteArray(), Integer.MAX_VALUE);
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void wrongDimensionDuplicatesNanAndCompressedMatricesAreRejected() {
        ByteArrayOutputStream dim = new ByteArrayOutputStream();
        binaryVector(dim, "u", new float[]{1, 2}, false);
        assertTrue(arkFails(dim.toByteArray(), 3).getMessage().contains("x-vector 'u' has dimension 2; expected 3"));
        assertTrue(arkFails("u [ 1 2 ]\n".getBytes(StandardCharsets.US_ASCII), 3).getMessage().contains("dimension 2"));
        assertTrue(arkFails("u [ 1 2 3 4 ]\n".getBytes(StandardCharsets.US_ASCII), 3).getMessage().contains("more than 3"));

        ByteArrayOutputStream dup = new ByteArrayOutputStream();
        binaryVector(dup, "u", new float[]{1, 2, 3}, false);
        binaryVector(dup, "u", new float[]{1, 2, 3}, false);
        assertTrue(arkFails(dup.toByteArray(), 3).getMessage().contains("'u' twice"));

        ByteArrayOutputStream nan = new ByteArrayOutputStream();
        binaryVector(nan, "bad", new float[]{1, Float.NaN, 3}, false);
        assertTrue(arkFails(nan.toByteArray(), 3).getMessage().contains("x-vector 'bad' has a NaN"));
        assertTrue(arkFails("t [ 1 nan 3 ]".getBytes(StandardCharsets.US_ASCII), 3).getMessage().contains("x-vector 't' has a NaN"));
        assertTrue(arkFails("t [ 1 1e999 3 ]".getBytes(StandardCharsets.US_ASCII), 3).getMessage().contains("NaN or infinite"));
        assertTrue(arkFails("t [ 1 x 3 ]".getBytes(StandardCharsets.US_ASCII), 3).getMessage().contains("not a number"));

        assertTrue(arkFails("c \0BCM xxxxxxxx".getBytes(StandardCharsets.ISO_8859_1), 3).getMessage().contains("compressed"));
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        binaryMatrix(rows, "m", 2, new float[]{1, 2, 3, 4, 5, 6});
        assertTrue(arkFails(rows.toByteArray(), 3).getMessage().contains("2 rows"));
        assertTrue(arkFails(new byte[0], 3).getMessage().contains("holds no x-vectors"));
        assertTrue(arkFails("garbage".getBytes(StandardCharsets.US_ASCII), 3).getMessage().startsWith("x.ark: "));
    }

    @Test
    void readsScpWithOffsetsIntoSeveralArchivesResolvedAgainstTheScpFolder() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("exp/xvectors"));
        ByteArrayOutputStream a1 = new ByteArrayOutputStream(), a2 = new ByteArrayOutputStream();
        binaryVector(a1, "u1", new float[]{1, 1, 1}, false);
        int off2 = a1.size() + "u2 ".length();
        binaryVector(a1, "u2", new float[]{2, 2, 2}, false);
        a2.writeBytes("u3  [ 3 3 3 ]\n".getBytes(StandardCharsets.US_ASCII));
        Files.write(sub.resolve("xvector.1.ark"), a1.toByteArray());
        Files.write(sub.resolve("xvector.2.ark"), a2.toByteArray());
        Path scp = sub.resolve("xvector.scp");
        Files.writeString(scp, "u1 xvector.1.ark:3\nu2 " + sub.resolve("xvector.1.ark") + ":" + off2 + "\n\nu3 xvector.2.ark:3\n");
        XVectors x = XVectors.read(scp, 3);
        assertEquals(3, x.size());
        assertArrayEquals(new float[]{1, 1, 1}, x.get("u1", XVectors.Missing.ERROR));
        assertArrayEquals(new float[]{2, 2, 2}, x.get("u2", XVectors.Missing.ERROR));
        assertArrayEquals(new float[]{3, 3, 3}, x.get("u3", XVectors.Missing.ERROR));
    }

    @Test
    void scpProblemsNameTheScpLine() throws IOException {
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        binaryVector(a, "u1", new float[]{1, 1, 1}, false);
        Files.write(dir.resolve("a.ark"), a.toByteArray());
        String[][] cases = {
                {"u1 missing.ark:3\n", "missing.ark, which does not exist"},
                {"u1 a.ark:9999\n", "points at byte 9999"},
                {"u1 a.ark:3\nu1 a.ark:3\n", "'u1' twice"},
                {"u1\n", "is not 'key path[:offset]'"},
                {"u1 gunzip -c a.ark.gz |\n", "command"},
                {"u1 a.ark:3[0:1]\n", "range"},
        };
        for (String[] c : cases) {
            Path scp = dir.resolve("x.scp");
            Files.writeString(scp, c[0]);
            InputException e = assertThrows(InputException.class, () -> XVectors.read(scp, 3), c[0]);
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
            assertTrue(e.getMessage().startsWith(scp.toString()), e.getMessage());
        }
    }

    // ---- numpy ----

    @Test
    void readsNpyFloat32AndFloat64WithSiblingIds() throws IOException {
        Files.write(dir.resolve("xv.npy"), npy(1, "<f4", "(2, 3)", false, floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4, 5, 6)));
        Files.writeString(dir.resolve("xv.ids"), "utt_a\nutt_b\n");
        XVectors x = XVectors.read(dir.resolve("xv.npy"), 3);
        assertArrayEquals(new float[]{4, 5, 6}, x.get("utt_b", XVectors.Missing.ERROR));

        byte[] f64 = npy(2, "<f8", "(1, 3)", false, doubles(0.5, 0.25, -8));
        XVectors d = XVectors.parseNpy("d.npy", MemorySegment.ofArray(f64), List.of("u"), 3);
        assertArrayEquals(new float[]{0.5f, 0.25f, -8}, d.get("u", XVectors.Missing.ERROR));
        byte[] be = npy(1, ">f4", "(1, 2)", false, floats(ByteOrder.BIG_ENDIAN, 1.5f, 2.5f));
        assertArrayEquals(new float[]{1.5f, 2.5f}, XVectors.parseNpy("b.npy", MemorySegment.ofArray(be), List.of("u"), 2).get("u", XVectors.Missing.ERROR));
    }

    @Test
    void hostileOrWrongNpyHeadersAreRejected() {
        byte[] data = floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4, 5, 6);
        String[][] cases = {
                {"<f4", "(2, 3)", "true", "Fortran"},
                {"<i4", "(2, 3)", "false", "dtype '<i4'"},
                {"|O", "(2, 3)", "false", "dtype"},
                {"<f4", "(6,)", "false", "2 dimensions"},
                {"<f4", "(3, 2)", "false", "2-dimensional rows; expected 3"},
                {"<f4", "(4000000000000, 3)", "false", "needs"},
                {"<f4", "(999999999999999999999, 3)", "false", "header"},
                {"<f4", "(800000000000000000, 3)", "false", "overflows"},
        };
        for (String[] c : cases) {
            byte[] f = npy(1, c[0], c[1], c[2].equals("true"), data);
            InputException e = assertThrows(InputException.class,
                    () -> XVectors.parseNpy("x.npy", MemorySegment.ofArray(f), List.of("a", "b"), 3), Arrays.toString(c));
            assertTrue(e.getMessage().startsWith("x.npy: ") && e.getMessage().contains(c[3]), e.getMessage());
        }
        byte[] good = npy(1, "<f4", "(2, 3)", false, data);
        assertThrows(InputException.class, () -> XVectors.parseNpy("x.npy", MemorySegment.ofArray(Arrays.copyOf(good, good.length - 1)), List.of("a", "b"), 3));
        assertThrows(InputException.class, () -> XVectors.parseNpy("x.npy", MemorySegment.ofArray(good), List.of("a"), 3));
        assertThrows(InputException.class, () -> XVectors.parseNpy("x.npy", MemorySegment.ofArray(good), List.of("a", "a"), 3));
        byte[] pickle = good.clone();
        byte[] evil = "{'descr': __import__('os').system('x'), 'shape': (2, 3)}".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(evil, 0, pickle, 10, evil.length);
        assertThrows(InputException.class, () -> XVectors.parseNpy("x.npy", MemorySegment.ofArray(pickle), List.of("a", "b"), 3));
        byte[] longHeader = good.clone();
        longHeader[8] = (byte) 0xff;
        longHeader[9] = (byte) 0xff;
        assertThrows(InputException.class, () -> XVectors.parseNpy("x.npy", MemorySegment.ofArray(longHeader), List.of("a", "b"), 3));
        assertThrows(InputException.class, () -> XVectors.parseNpy("x.npy", MemorySegment.ofArray("not numpy".getBytes(StandardCharsets.US_ASCII)), List.of(), 3));
    }

    @Test
    void npyWithoutItsIdsFileIsAClearError() throws IOException {
        Files.write(dir.resolve("xv.npy"), npy(1, "<f4", "(1, 3)", false, floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3)));
        InputException e = assertThrows(InputException.class, () -> XVectors.read(dir.resolve("xv.npy"), 3));
        assertTrue(e.getMessage().contains("xv.ids: no such file"), e.getMessage());
    }

    // ---- safetensors ----

    @Test
    void readsSafetensorsInBothLayouts() throws IOException {
        Path stacked = dir.resolve("stacked.safetensors");
        SafeTensors.writer().metadata("ids", "[\"a\",\"b\"]").f32("xvectors", new float[]{1, 2, 3, 4, 5, 6}, 2, 3).write(stacked);
        XVectors s = XVectors.read(stacked, 3);
        assertArrayEquals(new float[]{4, 5, 6}, s.get("b", XVectors.Missing.ERROR));

        Path perUtterance = dir.resolve("each.safetensors");
        SafeTensors.writer().f32("Ses01F_impro01_F000", new float[]{1, 2, 3}, 3).f32("u2", new float[]{7, 8, 9}, 1, 3).write(perUtterance);
        XVectors p = XVectors.read(perUtterance, 3);
        assertEquals(2, p.size());
        assertArrayEquals(new float[]{7, 8, 9}, p.get("u2", XVectors.Missing.ERROR));
    }

    @Test
    void safetensorsWithWrongShapesIdsOrNanAreRejected() throws IOException {
        Path f = dir.resolve("bad.safetensors");
        SafeTensors.writer().metadata("ids", "[\"a\"]").f32("xvectors", new float[]{1, 2, 3, 4, 5, 6}, 2, 3).write(f);
        assertTrue(assertThrows(InputException.class, () -> XVectors.read(f, 3)).getMessage().contains("2 x-vectors but 1 ids"));
        SafeTensors.writer().f32("xvectors", new float[]{1, 2, 3}, 1, 3).write(f);
        assertTrue(assertThrows(InputException.class, () -> XVectors.read(f, 3)).getMessage().contains("no 'ids'"));
        SafeTensors.writer().f32("u", new float[]{1, 2}, 2).write(f);
        assertTrue(assertThrows(InputException.class, () -> XVectors.read(f, 3)).getMessage().contains("x-vector 'u' has shape [2]"));
        SafeTensors.writer().f32("u", new float[]{1, Float.POSITIVE_INFINITY, 3}, 3).write(f);
        assertTrue(assertThrows(InputException.class, () -> XVectors.read(f, 3)).getMessage().contains("NaN or infinite"));
        SafeTensors.writer().metadata("ids", "[\"a\",\"a\"]").f32("xvectors", new float[6], 2, 3).write(f);
        assertTrue(assertThrows(InputException.class, () -> XVectors.read(f, 3)).getMessage().contains("twice"));
    }

    // ---- lookup ----

    @Test
    void missingIdIsAnErrorUnlessThePolicyIsZero() {
        XVectors x = ark("u [ 1 2 ]".getBytes(StandardCharsets.US_ASCII), 2);
        InputException e = assertThrows(InputException.class, () -> x.get("other", XVectors.Missing.ERROR));
        assertTrue(e.getMessage().contains("no x-vector for utterance 'other'") && e.getMessage().contains("--xvector-missing zero"), e.getMessage());
        assertArrayEquals(new float[]{0, 0}, x.get("other", XVectors.Missing.ZERO));
        float[] batch = {9, 9, 9, 9, 9};
        x.copyTo("other", XVectors.Missing.ZERO, batch, 1);
        x.copyTo("u", XVectors.Missing.ERROR, batch, 3);
        assertArrayEquals(new float[]{9, 0, 0, 1, 2}, batch);
        assertEquals(List.of("other"), x.missing(List.of("u", "other")));
        assertEquals(XVectors.Missing.ZERO, XVectors.Missing.parse("--xvector-missing", "zero"));
        assertThrows(InputException.class, () -> XVectors.Missing.parse("--xvector-missing", "mean"));
    }

    @Test
    void unknownExtensionAndMissingFileAreClearErrors() throws IOException {
        Path txt = Files.writeString(dir.resolve("x.txt"), "u [ 1 2 ]");
        assertTrue(assertThrows(InputException.class, () -> XVectors.read(txt, 2)).getMessage().contains("expected .ark or .scp"));
        assertTrue(assertThrows(InputException.class, () -> XVectors.read(dir.resolve("no.ark"), 2)).getMessage().endsWith("no such file"));
        Path empty = Files.write(dir.resolve("empty.ark"), new byte[0]);
        assertTrue(assertThrows(InputException.class, () -> XVectors.read(empty, 2)).getMessage().endsWith("holds no x-vectors"));
        assertTrue(assertThrows(InputException.class, () -> XVectors.read(dir, 2)).getMessage().endsWith("is not a regular file"));
    }
}
