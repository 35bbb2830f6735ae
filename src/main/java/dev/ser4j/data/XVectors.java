package dev.ser4j.data;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ser4j.core.InputException;
import dev.ser4j.io.SafeTensors;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Precomputed speaker embeddings (x-vectors), one per utterance id, each of dimension D (512 by default),
 * every value finite. Read, by file extension, from:
 * <ul>
 *   <li>{@code .ark} — a Kaldi archive as the x-vector recipe writes it, entries {@code key} + space + object.
 *       Binary objects: {@code \0B} then {@code FV } (float32) or {@code DV } (float64) vectors, {@code FM }/{@code DM }
 *       matrices with exactly one row; dimensions as Kaldi's {@code WriteBasicType}: a size byte 4 and a
 *       little-endian int32. Text objects: {@code [ v1 v2 ... ]}. Compressed matrices are not supported.</li>
 *   <li>{@code .scp} — Kaldi script lines {@code key path[:byte-offset]}, the offset pointing at the object
 *       (after the key and its space, as Kaldi writes it); relative paths are resolved against the scp file's
 *       folder. Pipes ({@code cmd |}) and ranges are not supported.</li>
 *   <li>{@code .npy} — a 2-D float32 or float64 array [N, D] in C order (header parsed as a plain literal,
 *       never unpickled), with the N utterance ids one per line in the sibling file of the same name ending in
 *       {@code .ids} ({@code xvectors.npy} + {@code xvectors.ids}).</li>
 *   <li>{@code .safetensors} — either a tensor {@code xvectors} [N, D] with the ids as a JSON array of N strings
 *       in the metadata key {@code ids} (other tensors are then ignored), or one tensor per utterance id of
 *       shape [D] or [1, D].</li>
 * </ul>
 * Duplicated ids, a wrong dimension, a truncated file, or a NaN or infinite value is an {@link InputException}
 * naming the file (and the key). A lookup of an id the file lacks follows a {@link Missing} policy.
 * Allocation is bounded by the file's size: sizes read from headers are checked against the bytes that remain
 * before anything is allocated. Immutable and thread-safe once read.
 */
public final class XVectors {
    public static final int DEFAULT_DIM = 512;
    /** Kaldi keys and scp lines longer than this are not what an x-vector file holds. */
    static final int MAX_KEY_BYTES = 4096;
    static final int MAX_NPY_HEADER = 1 << 20;

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)(e[+-]?\\d+)?");

    /** What a lookup of an utterance without an x-vector does ({@code --xvector-missing error|zero}). */
    public enum Missing {
        /** An {@link InputException} naming the utterance. */
        ERROR,
        /** A zero vector. */
        ZERO;

        /** {@code error} or {@code zero}, any case; {@code flag} names the option in the error. */
        public static Missing parse(String flag, String value) {
            for (Missing m : values()) if (m.name().equalsIgnoreCase(value.strip())) return m;
            throw new InputException(flag, "'" + value + "' is not a policy; expected error or zero");
        }
    }

    private final String source;
    private final int dim;
    private final Map<String, Integer> rows;
    private final float[] data;

    private XVectors(String source, int dim, Map<String, Integer> rows, float[] data) {
        this.source = source;
        this.dim = dim;
        this.rows = Collections.unmodifiableMap(rows);
        this.data = data;
    }

    /** Reads {@code .ark}, {@code .scp}, {@code .npy} (+ {@code .ids}) or {@code .safetensors} by extension. */
    public static XVectors read(Path file, int dim) {
        checkDim(dim);
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!Files.exists(file)) throw new InputException(file, "no such file");
        if (!Files.isRegularFile(file)) throw new InputException(file, "is not a regular file");
        if (name.endsWith(".ark")) return mapped(file, seg -> parseArk(file.toString(), seg, dim));
        if (name.endsWith(".scp")) return readScp(file, dim);
        if (name.endsWith(".npy")) {
            Path idsFile = file.resolveSibling(file.getFileName().toString().replaceFirst("(?i)\\.npy$", ".ids"));
            List<String> ids = readIds(idsFile);
            return mapped(file, seg -> parseNpy(file.toString(), seg, ids, dim));
        }
        if (name.endsWith(".safetensors")) return readSafetensors(file, dim);
        throw new InputException(file, "is not an x-vector file this reader knows; expected .ark or .scp (Kaldi), "
                + ".npy (with a sibling .ids file) or .safetensors");
    }

    public String source() { return source; }

    /** D. */
    public int dim() { return dim; }

    /** How many utterances have an x-vector. */
    public int size() { return rows.size(); }

    public boolean has(String id) { return rows.containsKey(id); }

    public Set<String> ids() { return rows.keySet(); }

    /** The ids among {@code wanted} that have no x-vector, in their order: check a whole data set up front. */
    public List<String> missing(Collection<String> wanted) {
        return wanted.stream().filter(id -> !rows.containsKey(id)).toList();
    }

    /** The utterance's x-vector (a copy); without one, an error or zeros as the policy says. */
    public float[] get(String id, Missing policy) {
        float[] out = new float[dim];
        copyTo(id, policy, out, 0);
        return out;
    }

    /** Writes the utterance's x-vector to {@code dst[off .. off+D)}; without one, an error or zeros. */
    public void copyTo(String id, Missing policy, float[] dst, int off) {
        Integer r = rows.get(id);
        if (r != null) {
            System.arraycopy(data, r * dim, dst, off, dim);
        } else if (policy == Missing.ZERO) {
            Arrays.fill(dst, off, off + dim, 0f);
        } else {
            throw new InputException(source, "has no x-vector for utterance '" + id + "' (--xvector-missing zero uses zeros instead)");
        }
    }

    private static void checkDim(int dim) {
        if (dim < 1) throw new IllegalArgumentException("x-vector dimension " + dim);
    }

    // ---- building: duplicates and non-finite values are rejected here, for every format ----

    private static final class Builder {
        final String source;
        final int dim;
        final Map<String, Integer> rows = new LinkedHashMap<>();
        final List<float[]> vectors = new ArrayList<>();

        Builder(String source, int dim) {
            this.source = source;
            this.dim = dim;
        }

        void add(String where, String key, float[] v) {
            for (float x : v)
                if (!Float.isFinite(x)) throw new InputException(where, "x-vector '" + key + "' has a NaN or infinite value");
            if (rows.putIfAbsent(key, vectors.size()) != null) throw new InputException(where, "has the utterance id '" + key + "' twice");
            vectors.add(v);
        }

        XVectors build() {
            if (vectors.isEmpty()) throw new InputException(source, "holds no x-vectors");
            float[] data = new float[Math.multiplyExact(vectors.size(), dim)];
            for (int i = 0; i < vectors.size(); i++) System.arraycopy(vectors.get(i), 0, data, i * dim, dim);
            return new XVectors(source, dim, rows, data);
        }
    }

    @FunctionalInterface
    private interface SegmentParser {
        XVectors parse(MemorySegment bytes);
    }

    /** Maps the file read-only for the duration of the parse. */
    private static XVectors mapped(Path file, SegmentParser parser) {
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return parser.parse(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena));
        } catch (IOException e) {
            throw dev.ser4j.io.UserFiles.problem(file, e);
        }
    }

    // ---- Kaldi archives ----

    /** Every entry of a Kaldi archive (binary or text entries, mixed as Kaldi allows); {@code source} names it. */
    public static XVectors parseArk(String source, MemorySegment ark, int dim) {
        checkDim(dim);
        Builder b = new Builder(source, dim);
        long n = ark.byteSize(), pos = 0;
        while (true) {
            while (pos < n && isSpace(ark.get(ValueLayout.JAVA_BYTE, pos))) pos++;
            if (pos == n) break;
            long keyStart = pos;
            while (pos < n && !isSpace(ark.get(ValueLayout.JAVA_BYTE, pos))) {
                if (pos - keyStart >= MAX_KEY_BYTES)
                    throw new InputException(source, "is not a Kaldi archive: no key ends within " + MAX_KEY_BYTES + " bytes of offset " + keyStart);
                pos++;
            }
            String key = string(ark, keyStart, pos);
            if (pos == n || ark.get(ValueLayout.JAVA_BYTE, pos) != ' ')
                throw new InputException(source, "is truncated or not a Kaldi archive: key '" + key + "' is not followed by a space and a vector");
            Entry e = readObject(source, ark, pos + 1, key, dim);
            b.add(source, key, e.vector);
            pos = e.end;
        }
        return b.build();
    }

    /** One parsed Kaldi object and the offset just past it. */
    private record Entry(float[] vector, long end) {}

    private static Entry readObject(String source, MemorySegment s, long pos, String key, int dim) {
        long n = s.byteSize();
        if (pos + 1 < n && s.get(ValueLayout.JAVA_BYTE, pos) == 0 && s.get(ValueLayout.JAVA_BYTE, pos + 1) == 'B')
            return readBinary(source, s, pos + 2, key, dim);
        return readText(source, s, pos, key, dim);
    }

    private static Entry readBinary(String source, MemorySegment s, long pos, String key, int dim) {
        long n = s.byteSize();
        long t = pos;
        while (t < n && t - pos < 8 && s.get(ValueLayout.JAVA_BYTE, t) != ' ') t++;
        String token = string(s, pos, t);
        if (t == n || s.get(ValueLayout.JAVA_BYTE, t) != ' ')
            throw new InputException(source, "x-vector '" + key + "' is truncated or not a Kaldi object (type '" + printable(token) + "')");
        pos = t + 1;
        int elem;
        long rows = 1;
        switch (token) {
            case "FV", "DV" -> elem = token.charAt(0) == 'F' ? 4 : 8;
            case "FM", "DM" -> {
                elem = token.charAt(0) == 'F' ? 4 : 8;
                rows = int32(source, s, pos, key);
                pos += 5;
            }
            case "CM", "CM2", "CM3" -> throw new InputException(source, "x-vector '" + key
                    + "' is a compressed Kaldi matrix, which is not supported; write x-vectors as float vectors");
            default -> throw new InputException(source, "x-vector '" + key + "' is a Kaldi object of type '" + printable(token)
                    + "'; expected a float vector (FV, DV) or a one-row matrix (FM, DM)");
        }
        long cols = int32(source, s, pos, key);
        pos += 5;
        if (rows != 1) throw new InputException(source, "x-vector '" + key + "' is a matrix with " + rows + " rows; expected one row");
        if (cols != dim) throw new InputException(source, "x-vector '" + key + "' has dimension " + cols + "; expected " + dim);
        if (n - pos < (long) dim * elem)
            throw new InputException(source, "is truncated: x-vector '" + key + "' needs " + (long) dim * elem + " bytes, " + (n - pos) + " remain");
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++)
            v[i] = elem == 4 ? s.get(F32, pos + 4L * i) : (float) s.get(F64, pos + 8L * i);
        return new Entry(v, pos + (long) dim * elem);
    }

    /** Kaldi's binary int32: a size byte 4, then four little-endian bytes. */
    private static int int32(String source, MemorySegment s, long pos, String key) {
        if (s.byteSize() - pos < 5) throw new InputException(source, "is truncated inside x-vector '" + key + "'");
        byte size = s.get(ValueLayout.JAVA_BYTE, pos);
        if (size != 4) throw new InputException(source, "x-vector '" + key + "' has a size field of " + size + " bytes; Kaldi writes 4");
        int v = s.get(I32, pos + 1);
        if (v < 0) throw new InputException(source, "x-vector '" + key + "' has a negative size " + v);
        return v;
    }

    /** Kaldi text: {@code [ v1 v2 ... ]}, whitespace (newlines included) between the values. */
    private static Entry readText(String source, MemorySegment s, long pos, String key, int dim) {
        long n = s.byteSize();
        while (pos < n && isSpace(s.get(ValueLayout.JAVA_BYTE, pos))) pos++;
        if (pos == n || s.get(ValueLayout.JAVA_BYTE, pos) != '[')
            throw new InputException(source, "x-vector '" + key + "' is neither binary (\\0B) nor text ([ ... ])");
        pos++;
        float[] v = new float[dim];
        int count = 0;
        while (true) {
            while (pos < n && isSpace(s.get(ValueLayout.JAVA_BYTE, pos))) pos++;
            if (pos == n) throw new InputException(source, "is truncated: x-vector '" + key + "' has no closing ']'");
            if (s.get(ValueLayout.JAVA_BYTE, pos) == ']') {
                pos++;
                break;
            }
            long start = pos;
            while (pos < n && !isSpace(s.get(ValueLayout.JAVA_BYTE, pos)) && s.get(ValueLayout.JAVA_BYTE, pos) != ']') {
                if (pos - start == 64) throw new InputException(source, "x-vector '" + key + "' has a value longer than 64 characters");
                pos++;
            }
            if (count == dim) throw new InputException(source, "x-vector '" + key + "' has more than " + dim + " values; expected " + dim);
            v[count++] = number(source, key, string(s, start, pos));
        }
        if (count != dim) throw new InputException(source, "x-vector '" + key + "' has dimension " + count + "; expected " + dim);
        return new Entry(v, pos);
    }

    private static float number(String source, String key, String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.contains("nan") || t.contains("inf"))
            throw new InputException(source, "x-vector '" + key + "' has a NaN or infinite value");
        if (!NUMBER.matcher(t).matches())
            throw new InputException(source, "x-vector '" + key + "' has '" + printable(text) + "', which is not a number");
        return Float.parseFloat(t);
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\n' || c == '\t' || c == '\r';
    }

    private static String string(MemorySegment s, long from, long to) {
        return new String(s.asSlice(from, to - from).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    private static String printable(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 40 ? t.substring(0, 40) + "..." : t;
    }

    // ---- Kaldi script files ----

    /** Every line {@code key path[:offset]} of a Kaldi scp, each object read from its archive. */
    public static XVectors readScp(Path scp, int dim) {
        checkDim(dim);
        List<String> lines = TextFiles.lines(scp);
        Map<Path, MemorySegment> arks = new HashMap<>();
        try (Arena arena = Arena.ofConfined()) {
            return parseScp(scp.toString(), lines, scp.toAbsolutePath().getParent(),
                    (where, ark) -> arks.computeIfAbsent(ark, a -> map(where, a, arena)), dim);
        }
    }

    /** Gives the bytes of the archive a script line refers to; {@code where} names that line in errors. */
    @FunctionalInterface
    public interface Archives {
        MemorySegment open(String where, Path ark);
    }

    /**
     * {@link #readScp} over an scp file's bytes in memory: relative archive paths are resolved against {@code base},
     * and {@code archives} gives each archive's bytes (or throws an {@link InputException} naming the line).
     */
    public static XVectors parseScp(String source, byte[] scp, Path base, Archives archives, int dim) {
        checkDim(dim);
        return parseScp(source, TextFiles.lines(scp), base, archives, dim);
    }

    private static XVectors parseScp(String source, List<String> lines, Path base, Archives archives, int dim) {
        Builder b = new Builder(source, dim);
        for (int i = 0; i < lines.size(); i++) {
            String where = source + ":" + (i + 1);
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            int sp = indexOfSpace(line);
            if (sp < 0) throw new InputException(where, "is not 'key path[:offset]'");
            String key = line.substring(0, sp), spec = line.substring(sp + 1).strip();
            if (spec.endsWith("|")) throw new InputException(where, "reads from a command ('" + spec + "'), which is not supported; give an archive path");
            if (spec.endsWith("]")) throw new InputException(where, "has a range specifier, which is not supported");
            long offset = 0;
            int colon = spec.lastIndexOf(':');
            if (colon > 0 && spec.substring(colon + 1).matches("\\d{1,18}")) {
                offset = Long.parseLong(spec.substring(colon + 1));
                spec = spec.substring(0, colon);
            }
            Path ark;
            try {
                ark = base.resolve(spec).normalize();
            } catch (InvalidPathException e) {
                throw new InputException(where, "has an invalid path '" + spec + "'");
            }
            MemorySegment seg = archives.open(where, ark);
            if (offset >= seg.byteSize())
                throw new InputException(where, "points at byte " + offset + " of " + ark + ", which has " + seg.byteSize() + " bytes");
            b.add(where, key, readObject(ark.toString(), seg, offset, key, dim).vector);
        }
        return b.build();
    }

    private static int indexOfSpace(String line) {
        for (int i = 0; i < line.length(); i++) if (Character.isWhitespace(line.charAt(i))) return i;
        return -1;
    }

    private static MemorySegment map(String where, Path ark, Arena arena) {
        try (FileChannel ch = FileChannel.open(ark, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
        } catch (NoSuchFileException e) {
            throw new InputException(where, "refers to " + ark + ", which does not exist");
        } catch (IOException e) {
            throw new InputException(where, "refers to " + ark + ", which cannot be read (" + e.getMessage() + ")");
        }
    }

    // ---- numpy ----

    /**
     * A {@code .npy} array [N, D] of float32 or float64 in C order; {@code ids} are the N utterance ids in row
     * order. The header dictionary is parsed as a literal ({@code descr}, {@code fortran_order}, {@code shape}).
     */
    public static XVectors parseNpy(String source, MemorySegment npy, List<String> ids, int dim) {
        checkDim(dim);
        long n = npy.byteSize();
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
        if (n < 10 || !Arrays.equals(npy.asSlice(0, 6).toArray(ValueLayout.JAVA_BYTE), magic))
            throw new InputException(source, "is not a .npy file (no \\x93NUMPY magic)");
        int major = npy.get(ValueLayout.JAVA_BYTE, 6);
        long headerLen, headerStart;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(npy.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8));
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (n < 12) throw new InputException(source, "is truncated inside its header");
            headerLen = Integer.toUnsignedLong(npy.get(I32, 8));
            headerStart = 12;
        } else {
            throw new InputException(source, "is .npy format version " + major + "; expected 1, 2 or 3");
        }
        if (headerLen > MAX_NPY_HEADER || headerStart + headerLen > n)
            throw new InputException(source, "has a header of " + headerLen + " bytes, longer than the file or than " + MAX_NPY_HEADER);
        NpyHeader h = NpyHeader.parse(source, string(npy, headerStart, headerStart + headerLen));
        if (h.fortranOrder) throw new InputException(source, "is in Fortran order; save it in C order (numpy.ascontiguousarray)");
        int elem;
        ByteOrder order;
        switch (h.descr) {
            case "<f4", "=f4" -> { elem = 4; order = ByteOrder.LITTLE_ENDIAN; }
            case ">f4" -> { elem = 4; order = ByteOrder.BIG_ENDIAN; }
            case "<f8", "=f8" -> { elem = 8; order = ByteOrder.LITTLE_ENDIAN; }
            case ">f8" -> { elem = 8; order = ByteOrder.BIG_ENDIAN; }
            default -> throw new InputException(source, "has dtype '" + h.descr + "'; expected float32 or float64 ('<f4', '<f8')");
        }
        if (h.shape.length != 2)
            throw new InputException(source, "has shape " + Arrays.toString(h.shape) + "; expected 2 dimensions [utterances, " + dim + "]");
        long rows = h.shape[0], cols = h.shape[1];
        if (cols != dim) throw new InputException(source, "has " + cols + "-dimensional rows; expected " + dim);
        long dataStart = headerStart + headerLen;
        long need;
        try {
            need = Math.multiplyExact(Math.multiplyExact(rows, cols), elem);
        } catch (ArithmeticException e) {
            throw new InputException(source, "has a shape whose size overflows");
        }
        if (need != n - dataStart)
            throw new InputException(source, "has " + (n - dataStart) + " bytes of data but shape " + Arrays.toString(h.shape)
                    + " needs " + need + (need > n - dataStart ? " (truncated?)" : ""));
        if (ids.size() != rows)
            throw new InputException(source, "has " + rows + " rows but " + ids.size() + " utterance ids in its .ids file");
        ValueLayout.OfFloat f32 = F32.withOrder(order);
        ValueLayout.OfDouble f64 = F64.withOrder(order);
        Builder b = new Builder(source, dim);
        for (int r = 0; r < rows; r++) {
            float[] v = new float[dim];
            long row = dataStart + (long) r * dim * elem;
            for (int c = 0; c < dim; c++) v[c] = elem == 4 ? npy.get(f32, row + 4L * c) : (float) npy.get(f64, row + 8L * c);
            b.add(source, ids.get(r), v);
        }
        return b.build();
    }

    /** The three keys of a .npy header, parsed from its Python literal without evaluating anything. */
    private record NpyHeader(String descr, boolean fortranOrder, long[] shape) {
        static NpyHeader parse(String source, String text) {
            Literal p = new Literal(source, text.strip());
            Map<String, Object> dict = p.dict();
            Object descr = dict.get("descr"), fortran = dict.get("fortran_order"), shape = dict.get("shape");
            if (!(descr instanceof String d) || !(fortran instanceof Boolean f) || !(shape instanceof long[] s))
                throw new InputException(source, "has a header without descr (string), fortran_order (bool) and shape (tuple)");
            return new NpyHeader(d, f, s);
        }
    }

    /** A recursive-descent reader for the tiny subset of Python literals a .npy header uses. */
    private static final class Literal {
        private final String source;
        private final String s;
        private int i;

        Literal(String source, String s) {
            this.source = source;
            this.s = s;
        }

        Map<String, Object> dict() {
            expect('{');
            Map<String, Object> m = new HashMap<>();
            while (!peek('}')) {
                String key = string();
                expect(':');
                Object value = value();
                if (m.put(key, value) != null) throw bad("has the key '" + key + "' twice");
                if (!peek('}')) expect(',');
            }
            expect('}');
            skip();
            if (i != s.length()) throw bad("has text after the dictionary");
            return m;
        }

        private Object value() {
            skip();
            if (i >= s.length()) throw bad("ends early");
            char c = s.charAt(i);
            if (c == '\'' || c == '"') return string();
            if (c == '(') return tuple();
            if (s.startsWith("True", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("False", i)) { i += 5; return Boolean.FALSE; }
            throw bad("has an unexpected value at '" + printable(s.substring(i, Math.min(s.length(), i + 20))) + "'");
        }

        private long[] tuple() {
            expect('(');
            List<Long> dims = new ArrayList<>();
            while (!peek(')')) {
                skip();
                int st = i;
                while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - st < 18) i++;
                if (st == i) throw bad("has a shape that is not a tuple of integers");
                if (dims.size() == 8) throw bad("has more than 8 dimensions");
                dims.add(Long.parseLong(s.substring(st, i)));
                if (!peek(')')) expect(',');
            }
            expect(')');
            return dims.stream().mapToLong(Long::longValue).toArray();
        }

        private String string() {
            skip();
            if (i >= s.length() || s.charAt(i) != '\'' && s.charAt(i) != '"') throw bad("has a key that is not a string");
            char q = s.charAt(i++);
            int st = i;
            while (i < s.length() && s.charAt(i) != q) {
                if (s.charAt(i) == '\\') throw bad("has an escape in a string");
                i++;
            }
            if (i >= s.length()) throw bad("has an unterminated string");
            return s.substring(st, i++);
        }

        private boolean peek(char c) {
            skip();
            return i < s.length() && s.charAt(i) == c;
        }

        private void expect(char c) {
            if (!peek(c)) throw bad("is not a valid header dictionary (expected '" + c + "' at character " + i + ")");
            i++;
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        private InputException bad(String problem) {
            return new InputException(source, "has a header that " + problem);
        }
    }

    /** The {@code .ids} file beside a {@code .npy}: one utterance id per line, blank lines only at the end. */
    static List<String> readIds(Path idsFile) {
        return parseIds(idsFile.toString(), TextFiles.lines(idsFile));
    }

    /** {@link #readIds} over an {@code .ids} file's bytes in memory; {@code source} names the file in errors. */
    public static List<String> parseIds(String source, byte[] ids) {
        return parseIds(source, TextFiles.lines(ids));
    }

    private static List<String> parseIds(String source, List<String> lines) {
        int end = lines.size();
        while (end > 0 && lines.get(end - 1).isBlank()) end--;
        List<String> ids = new ArrayList<>(end);
        for (int i = 0; i < end; i++) {
            String id = lines.get(i).strip();
            if (id.isEmpty() || indexOfSpace(id) >= 0)
                throw new InputException(source + ":" + (i + 1), "is not one utterance id (empty or contains whitespace)");
            ids.add(id);
        }
        return ids;
    }

    // ---- safetensors ----

    /** Either a tensor {@code xvectors} [N, D] with metadata {@code ids}, or one tensor [D] or [1, D] per utterance. */
    public static XVectors readSafetensors(Path file, int dim) {
        try (SafeTensors st = SafeTensors.open(file)) {
            return readSafetensors(st, dim);
        }
    }

    /** {@link #readSafetensors(Path, int)} over an opened file (or bytes in memory: {@link SafeTensors#parse}). */
    public static XVectors readSafetensors(SafeTensors st, int dim) {
        checkDim(dim);
        Path file = st.file();
        String source = file.toString();
        Builder b = new Builder(source, dim);
        if (st.has("xvectors")) {
            long[] shape = st.entry("xvectors").shape();
            if (shape.length != 2 || shape[1] != dim)
                throw new InputException(file, "has a tensor 'xvectors' of shape " + Arrays.toString(shape) + "; expected [N, " + dim + "]");
            List<String> ids = jsonIds(source, st.metadata().get("ids"));
            if (ids.size() != shape[0])
                throw new InputException(file, "has " + shape[0] + " x-vectors but " + ids.size() + " ids in its metadata");
            float[] all = st.floats("xvectors", shape);
            for (int r = 0; r < ids.size(); r++) b.add(source, ids.get(r), Arrays.copyOfRange(all, r * dim, (r + 1) * dim));
        } else {
            for (String name : st.names()) {
                long[] shape = st.entry(name).shape();
                boolean ok = shape.length == 1 && shape[0] == dim || shape.length == 2 && shape[0] == 1 && shape[1] == dim;
                if (!ok) throw new InputException(file, "x-vector '" + name + "' has shape " + Arrays.toString(shape) + "; expected [" + dim + "]");
                b.add(source, name, st.floats(name, shape));
            }
        }
        return b.build();
    }

    private static List<String> jsonIds(String source, String json) {
        if (json == null) throw new InputException(source, "has a tensor 'xvectors' but no 'ids' in its metadata");
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new InputException(source, "has metadata 'ids' that is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isArray()) throw new InputException(source, "has metadata 'ids' that is not a JSON array of strings");
        List<String> ids = new ArrayList<>(root.size());
        for (JsonNode n : root) {
            if (!n.isTextual() || n.asText().isEmpty()) throw new InputException(source, "has an utterance id in its metadata that is not a non-empty string");
            ids.add(n.asText());
        }
        return ids;
    }
}
