package dev.ser4j.pipeline;

import dev.ser4j.audio.Audio16k;
import dev.ser4j.audio.Audio16k;
import dev.ser4j.audio.Mfcc;
import dev.ser4j.audio.Wav;
import dev.ser4j.audio.WaveAugment;
import dev.ser4j.core.InputException;
import dev.ser4j.io.SafeTensors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * MFCC features stored once per audio file, keyed by the SHA-256 of the file's bytes and of {@link #PARAMETERS},
 * so a changed file or a changed feature definition is never served from the cache. Each entry is a safetensors
 * file holding {@code mfcc [frames, 96]} (all frames, before truncation). An entry that cannot be read back is
 * treated as damaged: it is rebuilt, never trusted.
 */
public final class FeatureCache {
    /** Everything that determines the features; part of every key. */
    public static final String PARAMETERS = "ser4j-mfcc/1 librosa-0.11 sr=16000 n_mfcc=32 n_fft=400 hop=160 win=400 hamming"
            + " center=constant n_mels=128 slaney top_db=80 dct=ortho deltas=9/interp features=96";

    private final Path dir;

    /** A cache in {@code dir}; {@code null} disables caching. */
    public FeatureCache(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** Where entries for a data set go by default: beside the data when writable, else the user's cache. */
    public static Path defaultDir(Path dataRoot) {
        Path beside = dataRoot.resolve(".ser4j-cache");
        if (Files.isWritable(dataRoot) || Files.isWritable(beside)) return beside;
        String xdg = System.getenv("XDG_CACHE_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache")).resolve("ser4j");
    }

    /**
     * The outcome of one lookup.
     *
     * @param features the recording's features
     * @param copies   the features of its augmented copies, in the {@link WaveAugment}'s order
     * @param cached   whether they all came from the cache
     * @param content  the recording's cache key (equal keys: byte-identical files)
     */
    public record Entry(float[] features, List<float[]> copies, boolean cached, String content) {}

    /** The features of {@code wav}, from the cache or computed with {@code mfcc} (then stored). */
    public Entry features(Path wav, Mfcc mfcc) {
        return features(wav, mfcc, WaveAugment.NONE);
    }

    /**
     * The features of {@code wav} and of its augmented copies, each from the cache or computed with {@code mfcc} (then
     * stored): augmentation happens before the cache, so a copy costs its computation once, and a copy's key holds
     * its definition, so changed augmentation settings are never served stale copies. The file is read once.
     */
    public Entry features(Path wav, Mfcc mfcc, WaveAugment augment) {
        byte[] bytes = dev.ser4j.io.UserFiles.readAllBytes(wav);
        float[][] out = new float[1 + augment.copies()][];
        String[] params = new String[out.length], keys = new String[out.length];
        boolean cached = true;
        for (int k = 0; k < out.length; k++) {
            params[k] = k == 0 ? PARAMETERS : PARAMETERS + " augment=" + augment.describe(k - 1);
            keys[k] = key(params[k], bytes);
            Path entry = dir == null ? null : dir.resolve(keys[k] + ".safetensors");
            if (entry != null && Files.exists(entry)) out[k] = readEntry(entry, params[k]);
            cached &= out[k] != null;
        }
        if (!cached) {
            float[] samples = Audio16k.of(Wav.parse(bytes, wav.toString()));
            long seed = Long.parseUnsignedLong(keys[0].substring(0, 15), 16);
            for (int k = 0; k < out.length; k++) {
                if (out[k] != null) continue;
                out[k] = mfcc.features(wav.toString(), k == 0 ? samples : augment.apply(k - 1, samples, seed));
                if (dir != null) write(dir.resolve(keys[k] + ".safetensors"), params[k], wav, out[k]);
            }
        }
        return new Entry(out[0], List.of(out).subList(1, out.length), cached, keys[0]);
    }

    private void write(Path entry, String params, Path wav, float[] features) {
        try {
            Files.createDirectories(dir);
            SafeTensors.writer().metadata("parameters", params).metadata("source", wav.toString())
                    .f32("mfcc", features, features.length / Mfcc.FEATURES, Mfcc.FEATURES).write(entry);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the feature cache in " + dir + " (" + e.getMessage() + "); pass --cache DIR", e);
        }
    }

    /** The cached features, or null when the entry is damaged or stale (it is then deleted). */
    private static float[] readEntry(Path entry, String params) {
        try (SafeTensors st = SafeTensors.open(entry)) {
            long[] shape = st.entry("mfcc").shape();
            if (params.equals(st.metadata().get("parameters")) && shape.length == 2 && shape[1] == Mfcc.FEATURES && shape[0] > 0) {
                float[] f = st.floats("mfcc");
                boolean finite = true;
                for (float v : f) finite &= Float.isFinite(v);
                if (finite) return f;
            }
        } catch (InputException damaged) {
            // fall through: rebuilt below
        }
        try {
            Files.deleteIfExists(entry);
        } catch (IOException ignored) {
            // the rebuilt entry replaces it atomically anyway
        }
        return null;
    }

    static String key(String params, byte[] bytes) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(params.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(bytes);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
