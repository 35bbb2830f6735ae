package dev.ser4j.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ser4j.model.Batch;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs an exported graph in ONNX Runtime on a {@link Batch} (its int tensors given as int64, as a consumer would). */
final class Ort implements AutoCloseable {
    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    final OrtSession session;

    Ort(byte[] model) throws OrtException {
        this(model, 0);
    }

    /** {@code threads} 0: ONNX Runtime's default. */
    Ort(byte[] model, int threads) throws OrtException {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                o.setIntraOpNumThreads(threads);
                o.setInterOpNumThreads(1);
            }
            session = ENV.createSession(model, o);
        }
    }

    /** logits and probabilities, each [B * classes]. */
    record Out(float[] logits, float[] probabilities) {}

    Out run(Batch b, int audioDim, int xvectorDim) throws OrtException {
        Map<String, OnnxTensor> in = inputs(b, audioDim, xvectorDim);
        try (OrtSession.Result r = session.run(in)) {
            float[][] logits = (float[][]) r.get(OnnxExport.LOGITS).orElseThrow().getValue();
            float[][] probs = (float[][]) r.get(OnnxExport.PROBABILITIES).orElseThrow().getValue();
            return new Out(flat(logits), flat(probs));
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    /** The graph inputs the session declares, filled from the batch. */
    Map<String, OnnxTensor> inputs(Batch b, int audioDim, int xvectorDim) throws OrtException {
        Map<String, OnnxTensor> in = new LinkedHashMap<>();
        for (String name : session.getInputNames()) {
            OnnxTensor t = switch (name) {
                case OnnxExport.AUDIO -> OnnxTensor.createTensor(ENV, FloatBuffer.wrap(b.audio()), new long[]{b.size(), b.frames(), audioDim});
                case OnnxExport.AUDIO_LEN -> longs(b.audioLen(), b.size());
                case OnnxExport.TOKEN_IDS -> longs(b.tokens(), b.size(), b.maxTokens());
                case OnnxExport.TEXT_LEN -> longs(b.textLen(), b.size());
                case OnnxExport.XVECTOR -> OnnxTensor.createTensor(ENV, FloatBuffer.wrap(b.xvector()), new long[]{b.size(), xvectorDim});
                default -> throw new IllegalStateException("unexpected input " + name);
            };
            in.put(name, t);
        }
        return in;
    }

    static OnnxTensor longs(int[] v, long... shape) throws OrtException {
        long[] l = new long[v.length];
        for (int i = 0; i < v.length; i++) l[i] = v[i];
        return OnnxTensor.createTensor(ENV, LongBuffer.wrap(l), shape);
    }

    static float[] flat(float[][] a) {
        int n = a[0].length;
        float[] out = new float[a.length * n];
        for (int i = 0; i < a.length; i++) System.arraycopy(a[i], 0, out, i * n, n);
        return out;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
