package dev.ser4j.pipeline;

import dev.ser4j.audio.Mfcc;
import dev.ser4j.audio.Wav;
import dev.ser4j.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** The feature cache: served on the second request, keyed by content, and a damaged entry is rebuilt, not trusted. */
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

    /** The entry with its last float replaced by NaN. */
    private static byte[] nanInside(byte[] bytes) {
        byte[] b = bytes.clone();
        int n = Float.floatToIntBits(Float.NaN);
        for (int i = 0; i < 4; i++) b[b.length - 4 + i] = (byte) (n >>> (8 * i));
        return b;
    }
}
