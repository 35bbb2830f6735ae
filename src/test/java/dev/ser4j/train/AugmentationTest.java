package dev.ser4j.train;

import dev.ser4j.core.InputException;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.model.Batch;
import dev.ser4j.model.Example;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Training's augmentation: class balance, augmented copies, SpecAugment, word and modality dropout. */
class AugmentationTest {
    static final ModelConfig BIMODAL = ModelConfig.of(Variant.MSCNN_SPU_ATT, 20, false);
    static final ModelConfig AUDIO_ONLY = ModelConfig.of(Variant.AUDIO_CNN, 0, false);
    static final ModelConfig TEXT_ONLY = ModelConfig.of(Variant.TEXT_CNN, 20, false);
    /** What the frames past an utterance's audio length hold here, so that a write there shows. */
    static final float PAST_END = -9f;
    static final int A = 96;

    /** A batch of {@code b} utterances: audio of 1 to T frames, all values positive, and 0 to M tokens in 2..19. */
    static Batch batch(ModelConfig cfg, int b, int T, int M, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] audio = cfg.variant().audio ? new float[b * T * A] : null;
        int[] aLen = new int[b], tokens = new int[b * M], tLen = new int[b], labels = new int[b];
        for (int u = 0; u < b; u++) {
            aLen[u] = u == 0 || T == 1 ? 1 : rng.nextInt(2, T + 1);
            tLen[u] = u == 1 ? 0 : rng.nextInt(1, M + 1);
            labels[u] = u % 4;
            if (audio != null)
                for (int t = 0; t < T; t++)
                    for (int c = 0; c < A; c++) audio[(u * T + t) * A + c] = t < aLen[u] ? (float) (0.1 + rng.nextDouble()) : PAST_END;
            for (int t = 0; t < tLen[u]; t++) tokens[u * M + t] = rng.nextInt(2, 20);
        }
        return new Batch(b, T, M, audio, aLen, tokens, tLen, labels, null);
    }

    static Batch copy(Batch b) {
        return new Batch(b.size(), b.frames(), b.maxTokens(), b.audio() == null ? null : b.audio().clone(), b.audioLen().clone(),
                b.tokens().clone(), b.textLen().clone(), b.labels().clone(), null);
    }

    static Augmentation spec(int timeMasks, int maxTime, int featureMasks, int maxFeatures) {
        return new Augmentation(false, timeMasks, maxTime, featureMasks, maxFeatures, 0f, 0f, 0f);
    }

    static Augmentation dropout(float word, float text, float audio) {
        return new Augmentation(false, 0, 0, 0, 0, word, text, audio);
    }

    static Example example(String id, int label, int frames, float value) {
        float[] audio = new float[frames * 4];
        Arrays.fill(audio, value);
        return new Example(id, "spk", "ses", audio, frames, new int[]{2, 3}, null, label);
    }

    // ---- NONE ----

    @Test
    void noneLeavesABatchUntouchedAndTheEpochIsTheSameList() {
        assertFalse(Augmentation.NONE.any());
        for (ModelConfig cfg : List.of(BIMODAL, AUDIO_ONLY, TEXT_ONLY)) {
            Batch b = batch(cfg, 12, 30, 9, 1), before = copy(b);
            Augmentation.NONE.apply(b, cfg, 5);
            assertArrayEquals(before.audio(), b.audio());
            assertArrayEquals(before.audioLen(), b.audioLen());
            assertArrayEquals(before.tokens(), b.tokens());
            assertArrayEquals(before.textLen(), b.textLen());
        }
        List<Example> train = List.of(example("a", 0, 3, 1), example("b", 1, 4, 2), example("c", 1, 5, 3));
        assertSame(train, Augmentation.NONE.epoch(train, 7));
        assertSame(train, spec(2, 5, 1, 3).epoch(train, 7), "without balance or copies the epoch is the training set itself");
        assertTrue(spec(2, 5, 1, 3).any());
    }

    // ---- balance ----

    static List<Example> unbalanced() {
        int[] perClass = {7, 3, 1, 5};
        List<Example> out = new ArrayList<>();
        for (int c = 0; c < perClass.length; c++)
            for (int i = 0; i < perClass[c]; i++) out.add(example("c" + c + "_" + i, c, 2 + i, c * 10 + i));
        return out;
    }

    static final Augmentation BALANCE = new Augmentation(true, 0, 0, 0, 0, 0f, 0f, 0f);

    @Test
    void balanceGivesEveryClassTheLargestCount() {
        List<Example> train = unbalanced(), epoch = BALANCE.epoch(train, 3);
        Map<Integer, Integer> perClass = new HashMap<>();
        for (Example e : epoch) perClass.merge(e.label(), 1, Integer::sum);
        assertEquals(Map.of(0, 7, 1, 7, 2, 7, 3, 7), perClass);
        assertEquals(28, epoch.size());
    }

    @Test
    void balanceKeepsEveryOriginalAndRepeatsOnlyMinorityExamplesEvenly() {
        List<Example> train = unbalanced(), epoch = BALANCE.epoch(train, 4);
        assertEquals(train, epoch.subList(0, train.size()), "the originals first, in their order");
        Map<Example, Integer> times = new IdentityHashMap<>();
        for (Example e : epoch) times.merge(e, 1, Integer::sum);
        assertEquals(train.size(), times.size(), "nothing but the originals");
        for (Example e : train) {
            int n = times.get(e);
            switch (e.label()) {
                case 0 -> assertEquals(1, n, e.id() + ": the largest class is not repeated");
                case 1 -> assertTrue(n == 2 || n == 3, e.id() + ": 4 repeats among 3 examples, drawn without replacement: " + n);
                case 2 -> assertEquals(7, n, e.id() + ": a class of one is that one 7 times");
                case 3 -> assertTrue(n == 1 || n == 2, e.id() + ": 2 repeats among 5 examples: " + n);
                default -> fail();
            }
        }
    }

    @Test
    void balanceIsDeterministicForASeedAndDiffersBetweenSeeds() {
        List<Example> train = unbalanced();
        List<String> a = ids(BALANCE.epoch(train, 11)), again = ids(BALANCE.epoch(train, 11)), other = ids(BALANCE.epoch(train, 12));
        assertEquals(a, again);
        assertNotEquals(a, other);
        assertEquals(a.subList(0, train.size()), other.subList(0, train.size()));
    }

    private static List<String> ids(List<Example> l) {
        return l.stream().map(Example::id).toList();
    }

    // ---- augmented copies ----

    @Test
    void anExampleWithCopiesIsItselfOrOneOfThemEachEpochAndEveryChoiceOccurs() {
        Example plain = example("plain", 0, 3, 1);
        Example base = example("aug", 1, 5, 2);
        float[] slow = new float[6 * 4], noisy = new float[5 * 4];
        Arrays.fill(slow, 3);
        Arrays.fill(noisy, 4);
        Example withCopies = base.withCopies(List.of(slow, noisy));
        List<Example> train = List.of(plain, withCopies);
        int[] chosen = new int[3];
        for (long seed = 0; seed < 300; seed++) {
            List<Example> epoch = Augmentation.NONE.epoch(train, seed);
            assertEquals(2, epoch.size());
            assertSame(plain, epoch.get(0), "an example without copies is kept as it is");
            Example e = epoch.get(1);
            assertEquals("aug", e.id());
            assertEquals(1, e.label());
            assertArrayEquals(base.tokens(), e.tokens());
            assertTrue(e.copies().isEmpty(), "the chosen example carries no copies");
            int k = e.audio() == base.audio() ? 0 : e.audio() == slow ? 1 : e.audio() == noisy ? 2 : -1;
            assertTrue(k >= 0, "the audio is the utterance's or one of its copies'");
            assertEquals(new int[]{5, 6, 5}[k], e.frames(), "frames follow the chosen audio");
            chosen[k]++;
            assertSame(e.audio(), Augmentation.NONE.epoch(train, seed).get(1).audio(), "the same choice for the same seed");
        }
        for (int k = 0; k < 3; k++) assertTrue(chosen[k] >= 60, "choice " + k + " taken " + chosen[k] + " times in 300 epochs: " + Arrays.toString(chosen));
    }

    @Test
    void balancedRepeatsOfAnExampleWithCopiesChooseIndependently() {
        float[] copy = new float[3 * 4];
        List<Example> train = new ArrayList<>();
        for (int i = 0; i < 6; i++) train.add(example("major" + i, 0, 3, i));
        train.add(example("minor", 1, 3, 9).withCopies(List.of(copy)));
        List<Example> epoch = BALANCE.epoch(train, 21);
        assertEquals(12, epoch.size());
        long copies = epoch.stream().filter(e -> e.audio() == copy).count();
        assertTrue(copies > 0 && copies < 6, "six draws of the minority example mix it and its copy: " + copies);
        assertEquals(ids(epoch), ids(BALANCE.epoch(train, 21)));
    }

    // ---- modality and word dropout ----

    @Test
    void textDropoutEmptiesTheTranscriptAndLeavesTheAudio() {
        Batch b = batch(BIMODAL, 400, 12, 10, 2), before = copy(b);
        dropout(0f, 0.5f, 0f).apply(b, BIMODAL, 99);
        int M = b.maxTokens(), dropped = 0;
        for (int u = 0; u < b.size(); u++) {
            int[] row = Arrays.copyOfRange(b.tokens(), u * M, (u + 1) * M);
            if (b.textLen()[u] == 0 && before.textLen()[u] > 0) {
                dropped++;
                assertArrayEquals(new int[M], row, "row " + u + " is all PAD");
            } else {
                assertEquals(before.textLen()[u], b.textLen()[u]);
                assertArrayEquals(Arrays.copyOfRange(before.tokens(), u * M, (u + 1) * M), row, "row " + u + " kept");
            }
        }
        assertArrayEquals(before.audio(), b.audio(), "audio untouched");
        assertArrayEquals(before.audioLen(), b.audioLen());
        assertTrue(dropped > 150 && dropped < 250, dropped + " of 399 transcripts dropped at p = 0.5");
    }

    @Test
    void theAudioOnlyPassSeesTheBatchWithEveryTranscriptRemovedAndTheBatchIsKept() {
        Batch b = batch(BIMODAL, 40, 12, 10, 2), before = copy(b);
        Batch mute = b.withoutText();
        assertArrayEquals(new int[b.size()], mute.textLen());
        assertArrayEquals(new int[b.tokens().length], mute.tokens(), "all PAD");
        assertEquals(b.maxTokens(), mute.maxTokens());
        assertSame(b.audio(), mute.audio());
        assertSame(b.audioLen(), mute.audioLen());
        assertSame(b.labels(), mute.labels());
        assertArrayEquals(before.tokens(), b.tokens(), "the batch keeps its transcripts");
        assertArrayEquals(before.textLen(), b.textLen());
        mute.validate(BIMODAL, "the audio-only batch");
    }

    @Test
    void audioDropoutLeavesOneZeroFrameAndTheText() {
        Batch b = batch(BIMODAL, 400, 12, 10, 3), before = copy(b);
        dropout(0f, 0f, 0.5f).apply(b, BIMODAL, 98);
        int T = b.frames(), dropped = 0;
        for (int u = 0; u < b.size(); u++) {
            int len = before.audioLen()[u];
            float[] row = Arrays.copyOfRange(b.audio(), u * T * A, (u + 1) * T * A), was = Arrays.copyOfRange(before.audio(), u * T * A, (u + 1) * T * A);
            if (Arrays.equals(row, was)) {
                assertEquals(len, b.audioLen()[u]);
                continue;
            }
            dropped++;
            assertEquals(1, b.audioLen()[u], "row " + u + ": one frame left");
            for (int i = 0; i < len * A; i++) assertEquals(0f, row[i], "row " + u + ": the mean (zero) everywhere it had audio");
            assertArrayEquals(Arrays.copyOfRange(was, len * A, T * A), Arrays.copyOfRange(row, len * A, T * A), "nothing past its length");
        }
        assertArrayEquals(before.tokens(), b.tokens(), "text untouched");
        assertArrayEquals(before.textLen(), b.textLen());
        assertTrue(dropped > 150 && dropped < 250, dropped + " of 400 recordings dropped at p = 0.5");
    }

    @Test
    void textAndAudioAreNeverDroppedTogether() {
        Batch b = batch(BIMODAL, 1000, 6, 6, 4), before = copy(b);
        dropout(0f, 0.6f, 0.9f).apply(b, BIMODAL, 97);
        int text = 0, audio = 0;
        for (int u = 0; u < b.size(); u++) {
            boolean t = b.textLen()[u] == 0 && before.textLen()[u] > 0;
            boolean a = b.audio()[u * 6 * A] == 0f;
            assertFalse(t && a, "utterance " + u + " lost both modalities");
            text += t ? 1 : 0;
            audio += a ? 1 : 0;
        }
        // text at 0.6; audio at 0.9 of the rest (0.36)
        assertTrue(text > 500 && text < 700, "text dropped " + text);
        assertTrue(audio > 260 && audio < 460, "audio dropped " + audio);
    }

    @Test
    void wordDropoutTurnsTokensIntoUnkAtAboutTheRateGiven() {
        Batch b = batch(TEXT_ONLY, 1000, 1, 20, 5), before = copy(b);
        dropout(0.1f, 0f, 0f).apply(b, TEXT_ONLY, 96);
        int M = b.maxTokens(), tokens = 0, unk = 0;
        for (int u = 0; u < b.size(); u++) {
            assertEquals(before.textLen()[u], b.textLen()[u]);
            for (int t = 0; t < M; t++) {
                int was = before.tokens()[u * M + t], now = b.tokens()[u * M + t];
                if (t >= b.textLen()[u]) {
                    assertEquals(0, now, "PAD past the transcript stays PAD");
                    continue;
                }
                tokens++;
                if (now != was) {
                    assertEquals(1, now, "a dropped word becomes UNK");
                    unk++;
                }
            }
        }
        assertTrue(tokens >= 10_000, tokens + " tokens");
        double rate = (double) unk / tokens;
        assertTrue(rate > 0.07 && rate < 0.13, "rate " + rate + " for p = 0.1 over " + tokens + " tokens");
    }

    @Test
    void anAudioOnlyModelNeverGetsItsTextTouched() {
        Batch b = batch(AUDIO_ONLY, 300, 10, 8, 6), before = copy(b);
        new Augmentation(true, 1, 3, 1, 4, 0.5f, 0.5f, 0.5f).apply(b, AUDIO_ONLY, 95);
        assertArrayEquals(before.tokens(), b.tokens());
        assertArrayEquals(before.textLen(), b.textLen());
        assertArrayEquals(before.audioLen(), b.audioLen(), "no modality dropout without a second modality");
        assertFalse(Arrays.equals(before.audio(), b.audio()), "SpecAugment still applies");
    }

    @Test
    void aTextOnlyModelHasNoAudioToMask() {
        Batch b = batch(TEXT_ONLY, 50, 1, 8, 7), before = copy(b);
        assertNull(b.audio());
        new Augmentation(false, 2, 3, 2, 4, 0f, 0.5f, 0.5f).apply(b, TEXT_ONLY, 94);
        assertArrayEquals(before.tokens(), b.tokens(), "no modality dropout without a second modality");
        assertArrayEquals(before.textLen(), b.textLen());
    }

    // ---- SpecAugment ----

    @Test
    void timeMasksZeroWholeFramesWithinEachUtterance() {
        Batch b = batch(AUDIO_ONLY, 200, 40, 4, 8), before = copy(b);
        spec(2, 6, 0, 0).apply(b, AUDIO_ONLY, 93);
        int T = b.frames(), masked = 0;
        for (int u = 0; u < b.size(); u++) {
            int len = b.audioLen()[u], zeroFrames = 0;
            assertEquals(before.audioLen()[u], len);
            for (int t = 0; t < T; t++) {
                int at = (u * T + t) * A, zeros = 0;
                for (int c = 0; c < A; c++) {
                    float now = b.audio()[at + c];
                    if (now != before.audio()[at + c]) {
                        assertEquals(0f, now);
                        zeros++;
                    }
                }
                if (t >= len) assertEquals(0, zeros, "utterance " + u + ": frame " + t + " is past its length " + len);
                assertTrue(zeros == 0 || zeros == A, "a time mask covers whole frames: " + zeros);
                zeroFrames += zeros == A ? 1 : 0;
            }
            assertTrue(zeroFrames <= 12, "two masks of at most 6 frames: " + zeroFrames);
            masked += zeroFrames;
        }
        assertTrue(masked > 200 * 2, masked + " frames masked");
    }

    @Test
    void featureMasksHitTheSameCoefficientsInAllThreeBlocksAndEveryValidFrame() {
        Batch b = batch(AUDIO_ONLY, 200, 30, 4, 9), before = copy(b);
        spec(0, 0, 2, 5).apply(b, AUDIO_ONLY, 92);
        int T = b.frames(), rowsMasked = 0;
        for (int u = 0; u < b.size(); u++) {
            int len = b.audioLen()[u];
            boolean[] coefficient = new boolean[32];
            for (int c = 0; c < 32; c++) coefficient[c] = b.audio()[u * T * A + c] == 0f;
            int width = 0;
            for (boolean m : coefficient) width += m ? 1 : 0;
            assertTrue(width <= 10, "two masks of at most 5 coefficients: " + width);
            rowsMasked += width > 0 ? 1 : 0;
            for (int t = 0; t < T; t++)
                for (int k = 0; k < 3; k++)
                    for (int c = 0; c < 32; c++) {
                        int i = (u * T + t) * A + k * 32 + c;
                        float expected = t < len && coefficient[c] ? 0f : before.audio()[i];
                        assertEquals(expected, b.audio()[i], "utterance " + u + ", frame " + t + " (length " + len + "), block " + k + ", coefficient " + c);
                    }
        }
        assertTrue(rowsMasked > 150, rowsMasked + " of 200 utterances masked");
    }

    @Test
    void specAugmentIsDeterministicPerSeed() {
        Augmentation aug = new Augmentation(false, 2, 5, 2, 4, 0.2f, 0.2f, 0.2f);
        Batch a = batch(BIMODAL, 40, 20, 8, 10), b = copy(a), c = copy(a);
        aug.apply(a, BIMODAL, 1);
        aug.apply(b, BIMODAL, 1);
        aug.apply(c, BIMODAL, 2);
        assertArrayEquals(a.audio(), b.audio());
        assertArrayEquals(a.tokens(), b.tokens());
        assertArrayEquals(a.audioLen(), b.audioLen());
        assertFalse(Arrays.equals(a.audio(), c.audio()), "another step, other masks");
    }

    // ---- settings ----

    @Test
    void invalidSettingsAreInputExceptions() {
        assertThrows(InputException.class, () -> new Augmentation(false, -1, 5, 0, 0, 0f, 0f, 0f));
        assertThrows(InputException.class, () -> new Augmentation(false, 1, -5, 0, 0, 0f, 0f, 0f));
        assertThrows(InputException.class, () -> new Augmentation(false, 0, 0, -1, 5, 0f, 0f, 0f));
        assertThrows(InputException.class, () -> new Augmentation(false, 0, 0, 1, -5, 0f, 0f, 0f));
        InputException wide = assertThrows(InputException.class, () -> new Augmentation(false, 0, 0, 1, 33, 0f, 0f, 0f));
        assertEquals("--spec-augment", wide.source());
        new Augmentation(false, 0, 0, 1, 32, 0f, 0f, 0f);
        for (float p : new float[]{1f, -0.1f, 1.5f, Float.NaN}) {
            assertThrows(InputException.class, () -> dropout(p, 0f, 0f), "word dropout " + p);
            assertThrows(InputException.class, () -> dropout(0f, p, 0f), "text dropout " + p);
            assertThrows(InputException.class, () -> dropout(0f, 0f, p), "audio dropout " + p);
        }
        dropout(0.99f, 0.99f, 0.99f);
    }
}
