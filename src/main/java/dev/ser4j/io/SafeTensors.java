package dev.ser4j.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ser4j.core.InputException;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N, N bytes of
 * JSON ({@code name -> {dtype, shape, data_offsets}} plus an optional {@code __metadata__} map of strings),
 * then the raw little-endian tensor bytes, offsets relative to the end of the header.
 *
 * <p>Reading validates everything before allocating anything sized by the file: the header length against
 * the file size, every offset range against the data section, byte counts against dtype and shape, and
 * overlaps. Tensor data is read on demand from the open file, so a large file costs only what is asked for.
 */
public final class SafeTensors implements Closeable {
    /** Headers beyond this size are rejected: real ones are kilobytes. */
    static final long MAX_HEADER_BYTES = 100L << 20;

    public enum DType {
        F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);
        public final int size;
        DType(int size) { this.size = size; }
    }

    /** One tensor's header entry; offsets are absolute file positions. */
    public record Entry(String name, DType dtype, long[] shape, long begin, long end) {
        public long numel() {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }
        public String shapeString() { return Arrays.toString(shape); }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** Where the bytes come from: an open file, or memory (tests, fuzzing). */
    interface Source extends Closeable {
        long size() throws IOException;

        /** Fills {@code dst} from byte {@code pos} on; fails at the end of the data. */
        void read(ByteBuffer dst, long pos) throws IOException;

        @Override
        void close();
    }

    private record FileSource(FileChannel ch) implements Source {
        public long size() throws IOException { return ch.size(); }

        public void read(ByteBuffer dst, long pos) throws IOException { readFully(ch, dst, pos); }

        public void close() { closeQuietly(ch); }
    }

    private record BytesSource(byte[] bytes) implements Source {
        public long size() { return bytes.length; }

        public void read(ByteBuffer dst, long pos) throws IOException {
            if (pos < 0 || pos + dst.remaining() > bytes.length) throw new EOFException("unexpected end of data");
            dst.put(bytes, (int) pos, dst.remaining());
        }

        public void close() {}
    }

    private final Path file;
    private final Source channel;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafeTensors(Path file, Source channel, Map<String, Entry> entries, Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.entries = entries;
        this.metadata = metadata;
    }

    /** Opens and validates a safetensors file; tensor data is read later, on request. */
    public static SafeTensors open(Path file) {
        Source src = new FileSource(UserFiles.open(file));
        try {
            SafeTensors st = parse(file, src);
            src = null;
            return st;
        } finally {
            if (src != null) src.close();
        }
    }

    /** Parses safetensors bytes held in memory; {@code name} stands for the file in messages. */
    public static SafeTensors parse(byte[] bytes, String name) {
        return parse(Path.of(name), new BytesSource(bytes));
    }

    private static SafeTensors parse(Path file, Source ch) {
        try {
            long size = ch.size();
            if (size < 8) throw bad(file, "is not a safetensors file: " + size + " bytes, shorter than the 8-byte header length");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen < 2 || headerLen > size - 8)
                throw bad(file, "is not a valid safetensors file: its header claims " + Long.toUnsignedString(headerLen)
                        + " bytes but the file has " + (size - 8) + " after the length field");
            if (headerLen > MAX_HEADER_BYTES)
                throw bad(file, "has a " + headerLen + "-byte header, more than the " + MAX_HEADER_BYTES + " accepted");
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            ch.read(hb, 8);
            JsonNode root;
            try {
                root = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8).stripTrailing());
            } catch (JsonProcessingException e) {
                throw bad(file, "has a header that is not valid JSON (" + e.getOriginalMessage() + ")");
            }
            if (root == null || !root.isObject()) throw bad(file, "has a header that is not a JSON object");
            long dataStart = 8 + headerLen;
            long dataSize = size - dataStart;
            Map<String, String> meta = new LinkedHashMap<>();
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String name = field.getKey();
                JsonNode v = field.getValue();
                if (name.equals("__metadata__")) {
                    if (!v.isObject()) throw bad(file, "has a __metadata__ entry that is not an object of strings");
                    for (Map.Entry<String, JsonNode> m : v.properties()) {
                        if (!m.getValue().isTextual())
                            throw bad(file, "has a non-string __metadata__ value for '" + m.getKey() + "'");
                        meta.put(m.getKey(), m.getValue().asText());
                    }
                    continue;
                }
                entries.put(name, parseEntry(file, name, v, dataStart, dataSize));
            }
            checkOverlaps(file, entries.values());
            return new SafeTensors(file, ch, Collections.unmodifiableMap(entries), Collections.unmodifiableMap(meta));
        } catch (IOException e) {
            throw bad(file, "cannot be read (" + e.getMessage() + ")");
        }
    }

    private static Entry parseEntry(Path file, String name, JsonNode v, long dataStart, long dataSize) {
        if (!v.isObject()) throw bad(file, "tensor '" + name + "' has a header entry that is not an object");
        JsonNode dt = v.get("dtype"), shapeNode = v.get("shape"), off = v.get("data_offsets");
        if (dt == null || !dt.isTextual()) throw bad(file, "tensor '" + name + "' has no dtype");
        DType dtype;
        try {
            dtype = DType.valueOf(dt.asText());
        } catch (IllegalArgumentException e) {
            throw bad(file, "tensor '" + name + "' has dtype " + dt.asText() + ", not one of " + Arrays.toString(DType.values()));
        }
        if (shapeNode == null || !shapeNode.isArray() || shapeNode.size() > 16)
            throw bad(file, "tensor '" + name + "' has no valid shape");
        long[] shape = new long[shapeNode.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0)
                throw bad(file, "tensor '" + name + "' has an invalid dimension " + d);
            shape[i] = d.asLong();
            try {
                numel = Math.multiplyExact(numel, shape[i]);
            } catch (ArithmeticException e) {
                throw bad(file, "tensor '" + name + "' has a shape whose size overflows");
            }
        }
        if (off == null || !off.isArray() || off.size() != 2 || !off.get(0).canConvertToLong() || !off.get(1).canConvertToLong()
                || !off.get(0).isIntegralNumber() || !off.get(1).isIntegralNumber())
            throw bad(file, "tensor '" + name + "' has no valid data_offsets");
        long begin = off.get(0).asLong(), end = off.get(1).asLong();
        if (begin < 0 || end < begin || end > dataSize)
            throw bad(file, "tensor '" + name + "' has data_offsets [" + begin + ", " + end + "] outside the "
                    + dataSize + "-byte data section (truncated file?)");
        long bytes;
        try {
            bytes = Math.multiplyExact(numel, dtype.size);
        } catch (ArithmeticException e) {
            throw bad(file, "tensor '" + name + "' has a shape whose size overflows");
        }
        if (end - begin != bytes)
            throw bad(file, "tensor '" + name + "' has " + (end - begin) + " bytes of data but dtype " + dtype
                    + " and shape " + Arrays.toString(shape) + " need " + bytes);
        return new Entry(name, dtype, shape, dataStart + begin, dataStart + end);
    }

    private static void checkOverlaps(Path file, java.util.Collection<Entry> all) {
        List<Entry> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingLong(Entry::begin));
        for (int i = 1; i < sorted.size(); i++) {
            Entry a = sorted.get(i - 1), b = sorted.get(i);
            if (b.begin < a.end && a.end > a.begin && b.end > b.begin)
                throw bad(file, "tensors '" + a.name + "' and '" + b.name + "' overlap in the data section");
        }
    }

    public Path file() { return file; }

    public Map<String, String> metadata() { return metadata; }

    /** Tensor names in header order. */
    public List<String> names() { return List.copyOf(entries.keySet()); }

    public boolean has(String name) { return entries.containsKey(name); }

    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) throw bad(file, "has no tensor '" + name + "'");
        return e;
    }

    /** The tensor as float32 (converted from F64/F16/BF16), checking its shape when {@code shape} is given. */
    public float[] floats(String name, long... shape) {
        Entry e = entry(name);
        checkShape(e, shape);
        ByteBuffer bb = bytes(e);
        int n = Math.toIntExact(e.numel());
        float[] out = new float[n];
        switch (e.dtype) {
            case F32 -> bb.asFloatBuffer().get(out);
            case F64 -> { for (int i = 0; i < n; i++) out[i] = (float) bb.getDouble(8 * i); }
            case F16 -> { for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(bb.getShort(2 * i)); }
            case BF16 -> { for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((bb.getShort(2 * i) & 0xffff) << 16); }
            default -> throw bad(file, "tensor '" + name + "' has dtype " + e.dtype + ", expected a floating-point type");
        }
        return out;
    }

    /** The tensor as int32 (from I32, I64 within range, I16, I8, U8), checking its shape when given. */
    public int[] ints(String name, long... shape) {
        Entry e = entry(name);
        checkShape(e, shape);
        ByteBuffer bb = bytes(e);
        int n = Math.toIntExact(e.numel());
        int[] out = new int[n];
        switch (e.dtype) {
            case I32 -> bb.asIntBuffer().get(out);
            case I64 -> {
                for (int i = 0; i < n; i++) {
                    long v = bb.getLong(8 * i);
                    if (v != (int) v) throw bad(file, "tensor '" + name + "' holds " + v + ", outside the int32 range");
                    out[i] = (int) v;
                }
            }
            case I16 -> { for (int i = 0; i < n; i++) out[i] = bb.getShort(2 * i); }
            case I8 -> { for (int i = 0; i < n; i++) out[i] = bb.get(i); }
            case U8, BOOL -> { for (int i = 0; i < n; i++) out[i] = bb.get(i) & 0xff; }
            default -> throw bad(file, "tensor '" + name + "' has dtype " + e.dtype + ", expected an integer type");
        }
        return out;
    }

    private void checkShape(Entry e, long[] expected) {
        if (expected.length > 0 && !Arrays.equals(expected, e.shape))
            throw bad(file, "tensor '" + e.name + "' has shape " + e.shapeString() + ", expected " + Arrays.toString(expected));
        if (e.numel() > Integer.MAX_VALUE - 16)
            throw bad(file, "tensor '" + e.name + "' has " + e.numel() + " elements, more than one Java array holds");
    }

    private ByteBuffer bytes(Entry e) {
        ByteBuffer bb = ByteBuffer.allocate(Math.toIntExact(e.end - e.begin)).order(ByteOrder.LITTLE_ENDIAN);
        try {
            channel.read(bb, e.begin);
        } catch (IOException ex) {
            throw bad(file, "tensor '" + e.name + "' cannot be read (" + ex.getMessage() + ")");
        }
        return bb.clear();
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) throw new EOFException("unexpected end of file");
            pos += n;
        }
    }

    private static InputException bad(Path file, String problem) {
        return new InputException(file, problem);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing was written through this channel
        }
    }

    @Override
    public void close() {
        channel.close();
    }

    /** Starts a new file: add tensors and metadata, then {@link Writer#write(Path)} writes it atomically. */
    public static Writer writer() {
        return new Writer();
    }

    /** Collects tensors in order; the file is written atomically (temporary file, fsync, rename). */
    public static final class Writer {
        private record Pending(String name, DType dtype, long[] shape, Object data) {}

        private final Map<String, String> metadata = new LinkedHashMap<>();
        private final Map<String, Pending> tensors = new LinkedHashMap<>();

        public Writer metadata(String key, String value) {
            metadata.put(key, value);
            return this;
        }

        public Writer metadata(Map<String, String> all) {
            metadata.putAll(all);
            return this;
        }

        public Writer f32(String name, float[] data, long... shape) {
            return add(name, DType.F32, shape, data, data.length);
        }

        public Writer i32(String name, int[] data, long... shape) {
            return add(name, DType.I32, shape, data, data.length);
        }

        private Writer add(String name, DType dtype, long[] shape, Object data, int length) {
            long numel = 1;
            for (long d : shape) numel *= d;
            if (numel != length)
                throw new IllegalArgumentException("tensor " + name + ": shape " + Arrays.toString(shape) + " vs " + length + " values");
            if (name.equals("__metadata__") || tensors.containsKey(name))
                throw new IllegalArgumentException("duplicate or reserved tensor name " + name);
            tensors.put(name, new Pending(name, dtype, shape.clone(), data));
            return this;
        }

        public void write(Path target) throws IOException {
            AtomicFiles.write(target, this::writeTo);
        }

        public void writeTo(OutputStream out) throws IOException {
            ObjectNode header = JSON.createObjectNode();
            if (!metadata.isEmpty()) {
                ObjectNode m = header.putObject("__metadata__");
                metadata.forEach(m::put);
            }
            long offset = 0;
            for (Pending p : tensors.values()) {
                ObjectNode t = header.putObject(p.name);
                t.put("dtype", p.dtype.name());
                var shape = t.putArray("shape");
                long n = 1;
                for (long d : p.shape) { shape.add(d); n *= d; }
                long bytes = n * p.dtype.size;
                t.putArray("data_offsets").add(offset).add(offset + bytes);
                offset += bytes;
            }
            byte[] json = JSON.writeValueAsBytes(header);
            int padded = (json.length + 7) / 8 * 8;              // the reference writer aligns data to 8 bytes
            byte[] headerBytes = Arrays.copyOf(json, padded);
            Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, padded);
            out.write(len.array());
            out.write(headerBytes);
            ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (Pending p : tensors.values()) {
                if (p.data instanceof float[] f) {
                    for (float v : f) { if (!chunk.hasRemaining()) flush(chunk, out); chunk.putFloat(v); }
                } else {
                    for (int v : (int[]) p.data) { if (!chunk.hasRemaining()) flush(chunk, out); chunk.putInt(v); }
                }
            }
            flush(chunk, out);
        }

        private static void flush(ByteBuffer chunk, OutputStream out) throws IOException {
            out.write(chunk.array(), 0, chunk.position());
            chunk.clear();
        }
    }
}
