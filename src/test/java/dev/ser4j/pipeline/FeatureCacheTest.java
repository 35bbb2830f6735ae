package dev.ser4j.pipeline;

import dev.ser4j.audio.Audio16k;
import dev.ser4j.audio.Mfcc;
import dev.ser4j.audio.Wav;
import dev.ser4j.audio.WaveAugment;
import dev.ser4j.core.InputException;
import dev.ser4j.data.Utterance;
import dev.ser4j.io.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The feature cache: served on the second request, keyed by content, and a damaged entry is rebuilt, not trusted;
 * augmented copies under keys of their own; the Featurizer's report of byte-identical files.
 */
class FeatureCacheTest {
    @TempDir
    Path dir;

    private Path wav(String name, double freq) throws Exception {
        float[] x = new float[16000];
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.3 * Math.sin(2 * Math.PI * freq * i / 16000));
        Path f = dir.resolve(name);
        Wav.writePcm16(f, x, 16000);
        return f;
    }

    @Test
    void secondRequestComesFromTheCacheWithTheSameFeatures() throws Exception {
        FeatureCache cache = new FeatureCache(dir.resolve("cache"));
        Path a = wav("a.wav", 440);
        FeatureCache.Entry first = cache.features(a, new Mfcc()), second = cache.features(a, new Mfcc());
        assertFalse(first.cached());
        assertTrue(second.cached());
        assertArrayEquals(first.features(), second.features());
        assertArrayEquals(new Mfcc().features(a.toString(), Wav.read(a).samples()), second.features());
    }

    @Test
    void changedAudioGetsItsOwnEntry() throws Exception {
        FeatureCache cache = new FeatureCache(dir.resolve("cache"));
        Path a = wav("a.wav", 440);
        float[] before = cache.features(a, new Mfcc()).features();
        wav("a.wav", 880);                                   // same path, new content
        FeatureCache.Entry after = cache.features(a, new Mfcc());
        assertFalse(after.cached(), "the key is the content, not the path");
        assertFalse(Arrays.equals(before, after.features()));
    }

    @Test
    void damagedOrForeignEntriesAreRebuiltNotTrusted() throws Exception {
        Path cacheDir = dir.resolve("cache");
        FeatureCache cache = new FeatureCache(cacheDir);
        Path a = wav("a.wav", 440);
        float[] good = cache.features(a, new Mfcc()).features();
        Path entry;
        try (var files = Files.list(cacheDir)) {
            entry = files.filter(f -> f.toString().endsWith(".safetensors")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(entry);
        for (byte[] damaged : new byte[][]{Arrays.copyOf(bytes, bytes.length / 2), new byte[]{1, 2, 3}, nanInside(bytes)}) {
            Files.write(entry, damaged);
            FeatureCache.Entry e = cache.features(a, new Mfcc());
            assertFalse(e.cached(), "a damaged entry is recomputed");
            assertArrayEquals(good, e.features());
            assertTrue(cache.features(a, new Mfcc()).cached(), "and stored again");
        }
    }

    @Test
    void aBadWavIsAClearErrorNamingTheFile() throws Exception {
        Path bad = Files.write(dir.resolve("bad.wav"), new byte[]{'R', 'I', 'F', 'F', 0});
        InputException e = assertThrows(InputException.class, () -> new FeatureCache(dir.resolve("cache")).features(bad, new Mfcc()));
        assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
    }

    static final WaveAugment AUGMENT = new WaveAugment(List.of(0.9, 1.1), 1, 10, 30, 7);

    private static int entries(Path cacheDir) throws Exception {
        try (var files = Files.list(cacheDir)) {
            return (int) files.filter(f -> f.toString().endsWith(".safetensors")).count();
        }
    }

    private static void assertSameArrays(List<float[]> expected, List<float[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), actual.get(i), "copy " + i);
    }

    @Test
    void augmentedCopiesAreCachedUnderTheirOwnKeys() throws Exception {
        Path cacheDir = dir.resolve("cache");
        FeatureCache cache = new FeatureCache(cacheDir);
        Path a = wav("a.wav", 440);
        FeatureCache.Entry first = cache.features(a, new Mfcc(), AUGMENT);
        assertFalse(first.cached());
        assertEquals(3, first.copies().size());
        assertEquals(4, entries(cacheDir), "the recording and each of its three copies");
        FeatureCache.Entry second = cache.features(a, new Mfcc(), AUGMENT);
        assertTrue(second.cached());
        assertArrayEquals(first.features(), second.features());
        assertSameArrays(first.copies(), second.copies());
        assertEquals(first.content(), second.content());
        // the copies are what they say: the speed-perturbed recordings' features, and a noisy one of the original's length
        float[] samples = Audio16k.read(a);
        for (int k = 0; k < 2; k++)
            assertArrayEquals(new Mfcc().features("copy", AUGMENT.apply(k, samples, 0)), first.copies().get(k), "speed copy " + k);
        assertEquals(Mfcc.frames(17778) * Mfcc.FEATURES, first.copies().get(0).length, "speed 0.9: longer");
        assertEquals(first.features().length, first.copies().get(2).length);
        assertFalse(Arrays.equals(first.features(), first.copies().get(2)), "the noisy copy is not the original");
    }

    @Test
    void anotherWaveAugmentIsNotServedTheOldCopies() throws Exception {
        FeatureCache cache = new FeatureCache(dir.resolve("cache"));
        Path a = wav("a.wav", 440);
        FeatureCache.Entry first = cache.features(a, new Mfcc(), AUGMENT);
        for (WaveAugment other : List.of(new WaveAugment(List.of(0.9, 1.1), 1, 0, 5, 7), new WaveAugment(List.of(0.9, 1.1), 1, 10, 30, 8))) {
            FeatureCache.Entry e = cache.features(a, new Mfcc(), other);
            assertFalse(e.cached(), other + " has a noisy copy of its own");
            assertArrayEquals(first.features(), e.features());
            assertArrayEquals(first.copies().get(0), e.copies().get(0), "the speed copies are the same either way");
            assertFalse(Arrays.equals(first.copies().get(2), e.copies().get(2)), other + ": another noisy copy");
            assertTrue(cache.features(a, new Mfcc(), other).cached());
        }
        FeatureCache.Entry again = cache.features(a, new Mfcc(), AUGMENT);
        assertTrue(again.cached(), "the first settings' copies are still there");
        assertSameArrays(first.copies(), again.copies());
        FeatureCache.Entry fewer = cache.features(a, new Mfcc(), new WaveAugment(List.of(0.9), 0, 0, 0, 7));
        assertTrue(fewer.cached(), "a subset of the copies is served from the cache");
        assertSameArrays(first.copies().subList(0, 1), fewer.copies());
    }

    @Test
    void theOriginalsFeaturesAreTheSameWithAndWithoutAugmentation() throws Exception {
        Path a = wav("a.wav", 440);
        FeatureCache.Entry plain = new FeatureCache(dir.resolve("plain")).features(a, new Mfcc());
        FeatureCache.Entry augmented = new FeatureCache(dir.resolve("augmented")).features(a, new Mfcc(), AUGMENT);
        FeatureCache.Entry uncached = new FeatureCache(null).features(a, new Mfcc(), AUGMENT);
        assertTrue(plain.copies().isEmpty());
        assertArrayEquals(plain.features(), augmented.features());
        assertArrayEquals(plain.features(), uncached.features());
        assertSameArrays(augmented.copies(), uncached.copies());
        assertEquals(plain.content(), augmented.content(), "the recording's key does not depend on the augmentation");
        FeatureCache shared = new FeatureCache(dir.resolve("augmented"));
        assertTrue(shared.features(a, new Mfcc()).cached(), "the original's entry serves requests without augmentation");
    }

    @Test
    void byteIdenticalFilesAreOneDuplicateGroupAndBothAreKept() throws Exception {
        Path a = wav("a.wav", 440), b = Files.copy(a, dir.resolve("b.wav")), c = wav("c.wav", 660), d = Files.copy(c, dir.resolve("d.wav"));
        Path e = wav("e.wav", 880);
        List<Utterance> utts = List.of(new Utterance("ua", "s1", "x", a, "", "angry"), new Utterance("uc", "s1", "x", c, "", "sad"),
                new Utterance("ub", "s2", "x", b, "", "happy"), new Utterance("ue", "s2", "x", e, "", "sad"),
                new Utterance("ud", "s3", "x", d, "", "neutral"));
        Featurizer.Result r = Featurizer.extract(utts, new FeatureCache(dir.resolve("cache")), AUGMENT, 3, false, Progress.NONE);
        assertEquals(List.of(List.of("ua", "ub"), List.of("uc", "ud")), r.duplicates());
        assertTrue(r.skipped().isEmpty());
        assertEquals(5, r.features().length);
        for (float[] f : r.features()) assertNotNull(f, "every utterance is kept");
        assertArrayEquals(r.features()[0], r.features()[2]);
        assertSameArrays(r.copies().get(0), r.copies().get(2));
        assertEquals(3, r.copies().get(3).size());
        assertFalse(Arrays.equals(r.features()[0], r.features()[1]));
        Featurizer.Result none = Featurizer.extract(List.of(utts.get(0), utts.get(1), utts.get(3)), new FeatureCache(null), 2, false, Progress.NONE);
        assertEquals(List.of(), none.duplicates(), "distinct files are no duplicates");
    }

    /** The entry with its last float replaced by NaN. */
    private static byte[] nanInside(byte[] bytes) {
        byte[] b = bytes.clone();
        int n = Float.floatToIntBits(Float.NaN);
        for (int i = 0; i < 4; i++) b[b.length - 4 + i] = (byte) (n >>> (8 * i));
        return b;
    }
}
