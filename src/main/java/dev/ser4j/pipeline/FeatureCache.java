package dev.ser4j.pipeline;

import dev.ser4j.audio.Audio16k;
import dev.ser4j.audio.Mfcc;
import dev.ser4j.core.InputException;
import dev.ser4j.io.SafeTensors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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

    /** The outcome of one lookup: the features, and whether they came from the cache. */
    public record Entry(float[] features, boolean cached) {}

    /** The features of {@code wav}, from the cache or computed with {@code mfcc} (then stored). */
    public Entry features(Path wav, Mfcc mfcc) {
        byte[] bytes = dev.ser4j.io.UserFiles.readAllBytes(wav);
        Path entry = dir == null ? null : dir.resolve(key(bytes) + ".safetensors");
        if (entry != null && Files.exists(entry)) {
            float[] f = readEntry(entry);
            if (f != null) return new Entry(f, true);
        }
        float[] features = mfcc.features(wav.toString(), Audio16k.read(wav));
        if (entry != null) {
            try {
                Files.createDirectories(dir);
                SafeTensors.writer().metadata("parameters", PARAMETERS).metadata("source", wav.toString())
                        .f32("mfcc", features, features.length / Mfcc.FEATURES, Mfcc.FEATURES).write(entry);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the feature cache in " + dir + " (" + e.getMessage() + "); pass --cache DIR", e);
            }
        }
        return new Entry(features, false);
    }

    /** The cached features, or null when the entry is damaged or stale (it is then deleted). */
    private static float[] readEntry(Path entry) {
        try (SafeTensors st = SafeTensors.open(entry)) {
            long[] shape = st.entry("mfcc").shape();
            if (PARAMETERS.equals(st.metadata().get("parameters")) && shape.length == 2 && shape[1] == Mfcc.FEATURES && shape[0] > 0) {
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

    static String key(byte[] bytes) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(PARAMETERS.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(bytes);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
