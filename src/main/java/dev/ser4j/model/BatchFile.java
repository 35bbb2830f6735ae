package dev.ser4j.model;

import dev.ser4j.core.InputException;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.io.SafeTensors;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@link Batch} stored as safetensors, the format {@code ./ser4j grad} reads: {@code audio [B,T,96] F32},
 * {@code audio_len [B] I32}, {@code tokens [B,M] I32}, {@code text_len [B] I32}, {@code labels [B] I32} and an
 * optional {@code xvector [B,512] F32}. Tensors of a branch the variant lacks may be absent.
 */
public final class BatchFile {
    private BatchFile() {}

    public static Batch read(Path file, ModelConfig cfg) {
        try (SafeTensors st = SafeTensors.open(file)) {
            int B = Math.toIntExact(require(st, "labels").shape()[0]);
            int T = 0, M = 0;
            float[] audio = null, xvector = null;
            int[] audioLen = null, tokens = null, textLen = null;
            if (cfg.variant().audio) {
                long[] s = require(st, "audio").shape();
                if (s.length != 3 || s[0] != B || s[2] != cfg.audioDim())
                    throw new InputException(file, "tensor 'audio' has shape " + java.util.Arrays.toString(s) + ", expected [" + B + ", T, " + cfg.audioDim() + "]");
                T = Math.toIntExact(s[1]);
                audio = st.floats("audio");
                audioLen = st.ints(require(st, "audio_len").name(), B);
            }
            if (cfg.variant().text) {
                long[] s = require(st, "tokens").shape();
                if (s.length != 2 || s[0] != B)
                    throw new InputException(file, "tensor 'tokens' has shape " + java.util.Arrays.toString(s) + ", expected [" + B + ", M]");
                M = Math.toIntExact(s[1]);
                tokens = st.ints("tokens");
                textLen = st.ints(require(st, "text_len").name(), B);
            }
            if (cfg.xvector()) xvector = st.floats(require(st, "xvector").name(), B, cfg.xvectorDim());
            Batch batch = new Batch(B, T, M, audio, audioLen, tokens, textLen, st.ints("labels", B), xvector);
            batch.validate(cfg, file.toString());
            return batch;
        }
    }

    private static SafeTensors.Entry require(SafeTensors st, String name) {
        if (!st.has(name)) throw new InputException(st.file(), "has no tensor '" + name + "', which a batch for this model needs");
        return st.entry(name);
    }

    public static void write(Batch b, Path file) throws IOException {
        SafeTensors.Writer w = SafeTensors.writer();
        if (b.audio() != null) {
            w.f32("audio", b.audio(), b.size(), b.frames(), b.audio().length / Math.max(1, b.size() * b.frames()));
            w.i32("audio_len", b.audioLen(), b.size());
        }
        if (b.tokens() != null) {
            w.i32("tokens", b.tokens(), b.size(), b.maxTokens());
            w.i32("text_len", b.textLen(), b.size());
        }
        w.i32("labels", b.labels(), b.size());
        if (b.xvector() != null) w.f32("xvector", b.xvector(), b.size(), b.xvector().length / b.size());
        w.write(file);
    }
}
