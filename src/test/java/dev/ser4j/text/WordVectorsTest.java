package dev.ser4j.text;

import dev.ser4j.core.InputException;
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

    private static float[] row(float[] table, int id, int dim) {
        return Arrays.copyOfRange(table, id * dim, (id + 1) * dim);
    }
}
