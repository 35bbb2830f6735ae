package dev.ser4j.cuda;

import dev.ser4j.bindings.cudnn.Cudnn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * cuDNN plans for the convolutions of kernels/conv.cu: one kernel size s over x [B, H=1, W, cin] (NHWC, packed)
 * with the NHWC filter [F, 1, s, cin] (KRSC) into y [B, 1, W-s+1, F], no padding, stride 1, cross-correlation
 * (PyTorch's conv), float compute.
 *
 * <p>Why NHWC: the padded sequence layout [B, T+2P, C] of every op IS NHWC with H = 1, so x is used in place
 * and y comes out as rows of channels; the filter uses the same format so the tensor/filter pair is cuDNN's
 * plain NHWC configuration (the KCRS->KRSC repack is a few hundred KB per step).
 *
 * <p>Algorithms are chosen once per (cin, F, s, B, W rounded up to 64) with cudnnFind*Algorithm (which runs
 * them): the fastest successful one, preferring deterministic ones for the two backward passes, and never a
 * tensor-op (TF32) one unless TF32 was allowed. Descriptors are made per exact shape; workspace sizes are asked
 * for that shape's algorithms. Everything is destroyed by {@link #close()} in reverse order of creation.
 */
final class ConvPlans implements AutoCloseable {
    private final Cudnn dnn;
    private final MemorySegment handle;
    private final boolean allowTf32;
    private final Map<Shape, Plan> plans = new HashMap<>();
    private final Map<Shape, int[]> algos = new HashMap<>();
    private final List<Runnable> destroyers = new ArrayList<>();

    /** One convolution's shape; for algorithm choice W is bucketed. */
    record Shape(int cin, int filters, int s, int batch, int width) {
        Shape bucket() { return new Shape(cin, filters, s, batch, (width + 63) / 64 * 64); }

        int outWidth() { return width - s + 1; }
    }

    /** Descriptors (as device-independent host handles), algorithms and workspace bytes of one exact shape. */
    record Plan(Shape shape, MemorySegment x, MemorySegment w, MemorySegment conv, MemorySegment y,
                int fwdAlgo, int bwdDataAlgo, int bwdFilterAlgo, long fwdBytes, long bwdDataBytes, long bwdFilterBytes) {
        long maxWorkspace() { return Math.max(fwdBytes, Math.max(bwdDataBytes, bwdFilterBytes)); }
    }

    ConvPlans(Cudnn dnn, MemorySegment handle, boolean allowTf32) {
        this.dnn = dnn;
        this.handle = handle;
        this.allowTf32 = allowTf32;
    }

    Plan plan(Shape s) {
        Plan p = plans.get(s);
        if (p == null) {
            p = create(s);
            plans.put(s, p);
        }
        return p;
    }

    private Plan create(Shape s) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cell = a.allocate(ADDRESS);
            check("cudnnCreateTensorDescriptor", dnn.cudnnCreateTensorDescriptor(cell));
            MemorySegment x = cell.get(ADDRESS, 0);
            destroyers.add(() -> check("cudnnDestroyTensorDescriptor", dnn.cudnnDestroyTensorDescriptor(x)));
            // sheet C.2 trap: tensor descriptors take (format, dataType), filters (dataType, format)
            check("cudnnSetTensor4dDescriptor(x)", dnn.cudnnSetTensor4dDescriptor(x, Cudnn.CUDNN_TENSOR_NHWC, Cudnn.CUDNN_DATA_FLOAT,
                    s.batch(), s.cin(), 1, s.width()));
            check("cudnnCreateFilterDescriptor", dnn.cudnnCreateFilterDescriptor(cell));
            MemorySegment w = cell.get(ADDRESS, 0);
            destroyers.add(() -> check("cudnnDestroyFilterDescriptor", dnn.cudnnDestroyFilterDescriptor(w)));
            check("cudnnSetFilter4dDescriptor", dnn.cudnnSetFilter4dDescriptor(w, Cudnn.CUDNN_DATA_FLOAT, Cudnn.CUDNN_TENSOR_NHWC,
                    s.filters(), s.cin(), 1, s.s()));
            check("cudnnCreateConvolutionDescriptor", dnn.cudnnCreateConvolutionDescriptor(cell));
            MemorySegment conv = cell.get(ADDRESS, 0);
            destroyers.add(() -> check("cudnnDestroyConvolutionDescriptor", dnn.cudnnDestroyConvolutionDescriptor(conv)));
            check("cudnnSetConvolution2dDescriptor", dnn.cudnnSetConvolution2dDescriptor(conv, 0, 0, 1, 1, 1, 1,
                    Cudnn.CUDNN_CROSS_CORRELATION, Cudnn.CUDNN_DATA_FLOAT));
            // FMA_MATH keeps float convolutions off the tensor cores (no TF32); DEFAULT_MATH lets cuDNN use TF32 on
            // Ampere and newer (cuDNN "Legacy API" docs, sheet C.4 note).
            check("cudnnSetConvolutionMathType", dnn.cudnnSetConvolutionMathType(conv,
                    allowTf32 ? Cudnn.CUDNN_DEFAULT_MATH : Cudnn.CUDNN_FMA_MATH));
            check("cudnnCreateTensorDescriptor", dnn.cudnnCreateTensorDescriptor(cell));
            MemorySegment y = cell.get(ADDRESS, 0);
            destroyers.add(() -> check("cudnnDestroyTensorDescriptor", dnn.cudnnDestroyTensorDescriptor(y)));
            check("cudnnSetTensor4dDescriptor(y)", dnn.cudnnSetTensor4dDescriptor(y, Cudnn.CUDNN_TENSOR_NHWC, Cudnn.CUDNN_DATA_FLOAT,
                    s.batch(), s.filters(), 1, s.outWidth()));
            // the output shape cuDNN computes must be ours
            MemorySegment n = a.allocate(JAVA_INT), c = a.allocate(JAVA_INT), h = a.allocate(JAVA_INT), wd = a.allocate(JAVA_INT);
            check("cudnnGetConvolution2dForwardOutputDim", dnn.cudnnGetConvolution2dForwardOutputDim(conv, x, w, n, c, h, wd));
            if (n.get(JAVA_INT, 0) != s.batch() || c.get(JAVA_INT, 0) != s.filters() || h.get(JAVA_INT, 0) != 1
                    || wd.get(JAVA_INT, 0) != s.outWidth())
                throw new IllegalStateException("cuDNN computes output " + n.get(JAVA_INT, 0) + "x" + c.get(JAVA_INT, 0) + "x"
                        + h.get(JAVA_INT, 0) + "x" + wd.get(JAVA_INT, 0) + " for " + s);
            int[] al = algos.get(s.bucket());
            if (al == null) {
                al = find(a, x, w, conv, y);
                algos.put(s.bucket(), al);
            }
            MemorySegment bytes = a.allocate(JAVA_LONG);
            check("cudnnGetConvolutionForwardWorkspaceSize", dnn.cudnnGetConvolutionForwardWorkspaceSize(handle, x, w, conv, y, al[0], bytes));
            long fb = bytes.get(JAVA_LONG, 0);
            check("cudnnGetConvolutionBackwardDataWorkspaceSize", dnn.cudnnGetConvolutionBackwardDataWorkspaceSize(handle, w, y, conv, x, al[1], bytes));
            long db = bytes.get(JAVA_LONG, 0);
            check("cudnnGetConvolutionBackwardFilterWorkspaceSize", dnn.cudnnGetConvolutionBackwardFilterWorkspaceSize(handle, x, y, conv, w, al[2], bytes));
            long wb = bytes.get(JAVA_LONG, 0);
            return new Plan(s, x, w, conv, y, al[0], al[1], al[2], fb, db, wb);
        }
    }

    /** {forward, backward data, backward filter} algorithms by cudnnFind*Algorithm. */
    private int[] find(Arena a, MemorySegment x, MemorySegment w, MemorySegment conv, MemorySegment y) {
        MemorySegment count = a.allocate(JAVA_INT), returned = a.allocate(JAVA_INT);
        int[] out = new int[3];

        check("cudnnGetConvolutionForwardAlgorithmMaxCount", dnn.cudnnGetConvolutionForwardAlgorithmMaxCount(handle, count));
        MemorySegment perf = a.allocate(Cudnn.cudnnConvolutionFwdAlgoPerf_t, Math.max(1, count.get(JAVA_INT, 0)));
        check("cudnnFindConvolutionForwardAlgorithm", dnn.cudnnFindConvolutionForwardAlgorithm(handle, x, w, conv, y,
                count.get(JAVA_INT, 0), returned, perf));
        out[0] = choose(perf, Cudnn.cudnnConvolutionFwdAlgoPerf_t, returned.get(JAVA_INT, 0), false, "forward");

        check("cudnnGetConvolutionBackwardDataAlgorithmMaxCount", dnn.cudnnGetConvolutionBackwardDataAlgorithmMaxCount(handle, count));
        perf = a.allocate(Cudnn.cudnnConvolutionBwdDataAlgoPerf_t, Math.max(1, count.get(JAVA_INT, 0)));
        check("cudnnFindConvolutionBackwardDataAlgorithm", dnn.cudnnFindConvolutionBackwardDataAlgorithm(handle, w, y, conv, x,
                count.get(JAVA_INT, 0), returned, perf));
        out[1] = choose(perf, Cudnn.cudnnConvolutionBwdDataAlgoPerf_t, returned.get(JAVA_INT, 0), true, "backward data");

        check("cudnnGetConvolutionBackwardFilterAlgorithmMaxCount", dnn.cudnnGetConvolutionBackwardFilterAlgorithmMaxCount(handle, count));
        perf = a.allocate(Cudnn.cudnnConvolutionBwdFilterAlgoPerf_t, Math.max(1, count.get(JAVA_INT, 0)));
        check("cudnnFindConvolutionBackwardFilterAlgorithm", dnn.cudnnFindConvolutionBackwardFilterAlgorithm(handle, x, y, conv, w,
                count.get(JAVA_INT, 0), returned, perf));
        out[2] = choose(perf, Cudnn.cudnnConvolutionBwdFilterAlgoPerf_t, returned.get(JAVA_INT, 0), true, "backward filter");
        return out;
    }

    /** Offsets of the perf struct's fields (sheet C.3): algo 0, status 4, time 8, memory 16, determinism 24, mathType 28. */
    static final long ALGO = 0, STATUS = 4, TIME = 8, MEMORY = 16, DETERMINISM = 24, MATH_TYPE = 28;

    /**
     * The first usable entry (cuDNN sorts them by time): status success, no tensor-op math unless allowed, and for
     * the backward passes a deterministic one when any is.
     */
    int choose(MemorySegment perf, StructLayout layout, int returned, boolean wantDeterministic, String what) {
        int best = -1, bestDeterministic = -1;
        for (int i = 0; i < returned; i++) {
            MemorySegment e = perf.asSlice(i * layout.byteSize(), layout.byteSize());
            if (e.get(JAVA_INT, STATUS) != Cudnn.CUDNN_STATUS_SUCCESS) continue;
            int math = e.get(JAVA_INT, MATH_TYPE);
            if (!allowTf32 && (math == Cudnn.CUDNN_TENSOR_OP_MATH || math == Cudnn.CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION)) continue;
            if (best < 0) best = i;
            if (bestDeterministic < 0 && e.get(JAVA_INT, DETERMINISM) == Cudnn.CUDNN_DETERMINISTIC) bestDeterministic = i;
        }
        int pick = wantDeterministic && bestDeterministic >= 0 ? bestDeterministic : best;
        if (pick < 0) throw new IllegalStateException("cuDNN offers no usable " + what + " convolution algorithm ("
                + returned + " candidates, none successful" + (allowTf32 ? "" : " without tensor-op math") + ")");
        return perf.get(JAVA_INT, pick * layout.byteSize() + ALGO);
    }

    private void check(String call, int code) {
        CudaStatus.cudnn(dnn, call, code);
    }

    /** Destroys every descriptor, newest first; reports the first failure after trying all. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (int i = destroyers.size() - 1; i >= 0; i--) {
            try {
                destroyers.get(i).run();
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        destroyers.clear();
        plans.clear();
        algos.clear();
        if (first != null) throw first;
    }
}
