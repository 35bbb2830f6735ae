package dev.ser4j.data;

import dev.ser4j.core.InputException;
import dev.ser4j.text.Tokenizer;
import dev.ser4j.text.Vocabulary;
import dev.ser4j.text.WordVectors;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 7's rule for every pure parser of this package and of dev.ser4j.text: on mutated valid inputs (bytes
 * flipped, inserted, deleted, truncated, fields duplicated) it returns a result or throws {@link InputException},
 * never another exception. A seeded stand-in until the coverage-guided fuzz targets exist.
 */
class ParserRobustnessTest {
    /** Mutations per target; -Dser4j.fuzz.rounds=N for a longer run. */
    private static final int ROUNDS = Integer.getInteger("ser4j.fuzz.rounds", 3000);

    private static byte[] mutate(byte[] seed, SplittableRandom rng) {
        byte[] b = seed.clone();
        int edits = 1 + rng.nextInt(4);
        for (int e = 0; e < edits; e++) {
            switch (rng.nextInt(6)) {
                case 0 -> { if (b.length > 0) b[rng.nextInt(b.length)] ^= (byte) (1 << rng.nextInt(8)); }
                case 1 -> { if (b.length > 0) b = Arrays.copyOf(b, rng.nextInt(b.length)); }
                case 2 -> {
                    int at = rng.nextInt(b.length + 1);
                    byte[] interesting = {0, '\n', '\t', ' ', '[', ']', '"', ',', ':', '.', '-', 'e', (byte) 0xff, (byte) 0x80, '9'};
                    byte[] out = new byte[b.length + 1];
                    System.arraycopy(b, 0, out, 0, at);
                    out[at] = interesting[rng.nextInt(interesting.length)];
                    System.arraycopy(b, at, out, at + 1, b.length - at);
                    b = out;
                }
                case 3 -> {
                    if (b.length > 1) {
                        int at = rng.nextInt(b.length);
                        b = concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, Math.min(b.length, at + 1 + rng.nextInt(8)), b.length));
                    }
                }
                case 4 -> {
                    if (b.length > 2) {
                        int from = rng.nextInt(b.length), len = 1 + rng.nextInt(Math.min(64, b.length - from));
                        int at = rng.nextInt(b.length);
                        b = concat(concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, from, from + len)), Arrays.copyOfRange(b, at, b.length));
                    }
                }
                default -> {
                    if (b.length >= 4) {
                        int at = rng.nextInt(b.length - 3);
                        int v = switch (rng.nextInt(4)) { case 0 -> -1; case 1 -> Integer.MAX_VALUE; case 2 -> 0; default -> rng.nextInt(); };
                        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
                    }
                }
            }
        }
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void fuzz(String name, byte[] seed, Consumer<byte[]> parser) {
        SplittableRandom rng = new SplittableRandom(name.hashCode());
        parser.accept(seed);                       // the seed itself is valid
        for (int i = 0; i < ROUNDS; i++) {
            byte[] input = mutate(seed, rng);
            try {
                parser.accept(input);
            } catch (InputException expected) {
                // the one allowed failure
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                fail(name + ": " + e + " on input " + Arrays.toString(input), e);
            }
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void wordVectorParserThrowsOnlyInputExceptions() {
        fuzz("glove", "the 0.1 -0.2 3e-1\nHello 1 2 3\nat x.com 4 5 6\n".getBytes(StandardCharsets.UTF_8),
                b -> WordVectors.parse("v.txt", b, Set.of("the", "hello", "at x.com"), 0));
        fuzz("word2vec", "2 3\nthe 0.1 -0.2 3e-1\nof 1 2 3\n".getBytes(StandardCharsets.UTF_8),
                b -> WordVectors.parse("v.txt", b, Set.of("the"), 3));
    }

    @Test
    void kaldiArchiveParserThrowsOnlyInputExceptions() {
        ByteBuffer bin = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        bin.put("u1 ".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) 'B').put("FV ".getBytes(StandardCharsets.US_ASCII))
                .put((byte) 4).putInt(3).putFloat(1).putFloat(2).putFloat(3);
        byte[] seed = concat(Arrays.copyOf(bin.array(), bin.position()), "u2  [ 1 2.5 -3e2 ]\n".getBytes(StandardCharsets.US_ASCII));
        fuzz("ark", seed, b -> XVectors.parseArk("x.ark", MemorySegment.ofArray(b), 3));
    }

    @Test
    void npyParserThrowsOnlyInputExceptions() {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }";
        String header = dict + " ".repeat(128 - 10 - dict.length() - 1) + "\n";
        ByteBuffer bb = ByteBuffer.allocate(128 + 16).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length())
                .put(header.getBytes(StandardCharsets.US_ASCII)).putFloat(1).putFloat(2).putFloat(3).putFloat(4);
        fuzz("npy", bb.array(), b -> XVectors.parseNpy("x.npy", MemorySegment.ofArray(b), List.of("a", "b"), 2));
    }

    @Test
    void iemocapParsersThrowOnlyInputExceptions() {
        byte[] emo = ("% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]\n\n"
                + "[6.2901 - 8.2357]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000]\nC-E2:\tNeutral;\t()\n"
                + "[7.5 - 9.0]\tSes01F_impro01_M000\texc\t[2.5, 2.5, 2.5]\n").getBytes(StandardCharsets.UTF_8);
        fuzz("emoevaluation", emo, b -> Iemocap.parseEmoEvaluation("e.txt", text(b).lines().toList(), new ReaderLog(false)));
        byte[] tr = "Ses01F_impro01_F000 [006.2901-008.2357]: Excuse me.\nM: [BREATHING]\n".getBytes(StandardCharsets.UTF_8);
        fuzz("transcriptions", tr, b -> Iemocap.parseTranscriptions(text(b).lines().toList()));
    }

    @Test
    void manifestCsvAndAsrParsersThrowOnlyInputExceptions() {
        byte[] csv = "path,label,transcript,speaker,id\na.wav,happy,\"Well, \"\"yes\"\"\",S1M,u1\nb.wav,sad,\"two\nlines\",S2F,\n"
                .getBytes(StandardCharsets.UTF_8);
        fuzz("csv-manifest", csv, b -> Manifest.parse("m.csv", text(b), Manifest.Format.CSV));
        byte[] tsv = "id\tspeaker\temotion\ttranscript\tpath\nS1M_00000\tS1M\tneutral\tHi.\twav/S1M/S1M_00000.wav\n".getBytes(StandardCharsets.UTF_8);
        fuzz("tsv-manifest", tsv, b -> Manifest.parse("m.tsv", text(b), Manifest.Format.TSV));
        fuzz("asr", "id\ttext\nu1\thello there\nu2\tyes\n".getBytes(StandardCharsets.UTF_8),
                b -> Datasets.parseAsr("asr.tsv", text(b).lines().toList()));
    }

    @Test
    void vocabularyJsonAndTokenizerThrowOnlyInputExceptions() {
        fuzz("vocabulary", "[\"<pad>\",\"<unk>\",\"the\",\"n't\",\"\\u00e9t\\u00e9\"]".getBytes(StandardCharsets.UTF_8),
                b -> Vocabulary.fromJson("ckpt", text(b)));
        fuzz("tokenizer", "[LAUGHTER] \"I don't know,\" she said -- (really?) Mr. Smith's 3.5... 'Tis.".getBytes(StandardCharsets.UTF_8),
                b -> Tokenizer.tokenize(text(b)));
    }
}
