package dev.ser4j.cuda;

import dev.ser4j.backend.AdamHyper;
import dev.ser4j.backend.Backend;
import dev.ser4j.backend.ConvShape;
import dev.ser4j.backend.FloatBuf;
import dev.ser4j.backend.IntBuf;
import dev.ser4j.bindings.cublas.Cublas;
import dev.ser4j.bindings.cudart.Cudart;
import dev.ser4j.bindings.cudnn.Cudnn;
import dev.ser4j.bindings.kernels.Kernels;
import dev.ser4j.core.Pooling;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The CUDA backend: the ops of {@link Backend} on one GPU, on one stream. Convolutions run in cuDNN
 * ({@link ConvPlans}), matrix products in cuBLAS, everything else in ser4j's kernels (kernels/*.cu, launched through
 * {@link Kernels}). Device buffers are owned here and freed by {@link #free} or {@link #close}; handles,
 * descriptors and the kernel library are destroyed by {@link #close} in reverse order of creation.
 *
 * <p>Host round trips: uploads go through pinned staging memory and are asynchronous; every op is enqueued on the
 * stream and returns at once. The host waits only in {@code download} (the model reads the loss once per step),
 * in {@code free}/{@code close}, and once per new convolution shape, when cuDNN times the candidate algorithms.
 *
 * <p>Numerics: TF32 is off unless {@link Options#allowTf32()} (cuBLAS default math, cuDNN FMA math); the kernels are
 * built without fused multiply-add and sum like the Java ops, so results match the CPU backend closely (the parity
 * suite measures how closely). Never executed on a GPU in the session that wrote it: see the package notes.
 */
public final class CudaBackend implements Backend {
    /** @param device GPU ordinal; @param allowTf32 let cuBLAS and cuDNN use TF32 tensor cores for float math */
    public record Options(int device, boolean allowTf32) {
        public static Options defaults() { return new Options(0, false); }
    }

    private static final int THREADS = 256;
    private static final int MAX_BLOCKS = 1 << 20;

    private final Cudart rt;
    private final Cublas blas;
    private final Cudnn dnn;
    private final Options options;
    private final Arena arena = Arena.ofShared();
    private final List<Runnable> destroyers = new ArrayList<>();
    private final Map<Long, DeviceBuffer> live = new LinkedHashMap<>();
    private final MemorySegment stream, cublasHandle, cudnnHandle;
    private final Kernels k;
    private final ConvPlans convPlans;
    private final PinnedStaging staging;
    private final MemorySegment one, zero;          // host alpha/beta scalars (cuBLAS pointer mode HOST, cuDNN C.5)
    // device scratch, grown on demand and reused in stream order
    private CudaFloats convWeights, convGrad, convOut, convWorkspace, rowsScratch;
    private DeviceBuffer attScratch, colsumScratch, normScratch;
    private boolean closed;

    /** Opens the backend on {@code options.device()}; fails with a {@link CudaException} or an explanation. */
    public CudaBackend(Options options) {
        CudaRuntime.Probe probe = CudaRuntime.probe();
        probe.whyUnusable().ifPresent(why -> {
            throw new IllegalStateException("CUDA is not usable: " + why);
        });
        this.rt = probe.cudart().orElseThrow();
        this.blas = probe.cublas().orElseThrow();
        this.dnn = probe.cudnn().orElseThrow();
        this.options = options;
        this.one = arena.allocateFrom(JAVA_FLOAT, 1f);
        this.zero = arena.allocateFrom(JAVA_FLOAT, 0f);
        MemorySegment cell = arena.allocate(ADDRESS);
        try {
            cuda("cudaSetDevice", rt.cudaSetDevice(options.device()));
            cuda("cudaStreamCreateWithFlags", rt.cudaStreamCreateWithFlags(cell, Cudart.cudaStreamNonBlocking));
            stream = cell.get(ADDRESS, 0);
            destroyers.add(() -> cuda("cudaStreamDestroy", rt.cudaStreamDestroy(stream)));

            cublas("cublasCreate_v2", blas.cublasCreate_v2(cell));
            cublasHandle = cell.get(ADDRESS, 0);
            destroyers.add(() -> cublas("cublasDestroy_v2", blas.cublasDestroy_v2(cublasHandle)));
            cublas("cublasSetStream_v2", blas.cublasSetStream_v2(cublasHandle, stream));
            // explicit HOST pointer mode (sheet E.10: the default is documentation knowledge only)
            cublas("cublasSetPointerMode_v2", blas.cublasSetPointerMode_v2(cublasHandle, Cublas.CUBLAS_POINTER_MODE_HOST));
            // CUBLAS_DEFAULT_MATH computes float GEMMs in float; TF32 is opt-in through CUBLAS_TF32_TENSOR_OP_MATH
            cublas("cublasSetMathMode", blas.cublasSetMathMode(cublasHandle,
                    options.allowTf32() ? Cublas.CUBLAS_TF32_TENSOR_OP_MATH : Cublas.CUBLAS_DEFAULT_MATH));

            cudnn("cudnnCreate", dnn.cudnnCreate(cell));
            cudnnHandle = cell.get(ADDRESS, 0);
            destroyers.add(() -> cudnn("cudnnDestroy", dnn.cudnnDestroy(cudnnHandle)));
            cudnn("cudnnSetStream", dnn.cudnnSetStream(cudnnHandle, stream));
            convPlans = new ConvPlans(dnn, cudnnHandle, options.allowTf32());
            destroyers.add(convPlans::close);

            // the image must stay alive until cudaLibraryUnload: it lives in this backend's arena
            byte[] fatbin = probe.fatbin().orElseThrow();
            MemorySegment image = arena.allocate(fatbin.length + 1L, 16);
            MemorySegment.copy(fatbin, 0, image, JAVA_BYTE, 0, fatbin.length);
            k = Kernels.load(rt, image, this::cuda);
            destroyers.add(() -> cuda("cudaLibraryUnload", k.unload()));

            staging = new PinnedStaging(rt, stream);
            destroyers.add(staging::close);
        } catch (RuntimeException e) {
            closeQuietly(e);
            throw e;
        }
    }

    @Override
    public String name() { return "cuda"; }

    public Options options() { return options; }

    // ---- status checks: every code goes through CudaStatus ----

    private void cuda(String call, int code) { CudaStatus.cuda(rt, call, code); }

    private void cublas(String call, int code) { CudaStatus.cublas(blas, call, code); }

    private void cudnn(String call, int code) { CudaStatus.cudnn(dnn, call, code); }

    // ---- memory ----

    private DeviceBuffer alloc(long bytes) {
        ensureOpen();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cell = a.allocate(ADDRESS);
            long size = Math.max(bytes, 16);
            cuda("cudaMalloc(" + size + " bytes)", rt.cudaMalloc(cell, size));
            DeviceBuffer d = new DeviceBuffer(cell.get(ADDRESS, 0), size, bytes);
            live.put(d.address(), d);
            cuda("cudaMemsetAsync", rt.cudaMemsetAsync(d.ptr(), 0, size, stream));
            return d;
        }
    }

    private void release(DeviceBuffer d) {
        if (live.remove(d.address()) == null) throw new IllegalArgumentException("not a live allocation of this backend");
        cuda("cudaFree", rt.cudaFree(d.ptr()));         // cudaFree waits for work still using the memory
    }

    @Override
    public CudaFloats allocFloats(long n) {
        return new CudaFloats(this, alloc(n * Float.BYTES), 0, n);
    }

    @Override
    public CudaInts allocInts(long n) {
        return new CudaInts(this, alloc(n * Integer.BYTES), 0, n);
    }

    @Override
    public void free(FloatBuf buf) {
        CudaFloats f = f(buf);
        if (f.offset() != 0 || f.bytes() != f.base().requested())
            throw new IllegalArgumentException("free takes a buffer from allocFloats, not a slice");
        release(f.base());
    }

    @Override
    public void free(IntBuf buf) {
        CudaInts i = i(buf);
        if (i.offset() != 0 || i.bytes() != i.base().requested())
            throw new IllegalArgumentException("free takes a buffer from allocInts, not a slice");
        release(i.base());
    }

    private CudaFloats f(FloatBuf b) {
        if (!(b instanceof CudaFloats c) || c.owner() != this)
            throw new IllegalArgumentException("not a buffer of this CUDA backend: " + b);
        return c;
    }

    private CudaInts i(IntBuf b) {
        if (!(b instanceof CudaInts c) || c.owner() != this)
            throw new IllegalArgumentException("not a buffer of this CUDA backend: " + b);
        return c;
    }

    private static MemorySegment p(CudaFloats b) { return b.ptr(); }

    /** A device scratch of at least {@code n} floats, reused in stream order. */
    private CudaFloats grow(CudaFloats cur, long n) {
        if (cur != null && cur.length() >= n) return cur;
        if (cur != null) release(cur.base());
        return allocFloats(Math.max(n, cur == null ? 0 : cur.length() * 3 / 2));
    }

    private DeviceBuffer growBytes(DeviceBuffer cur, long bytes) {
        if (cur != null && cur.bytes() >= bytes) return cur;
        if (cur != null) release(cur);
        return alloc(Math.max(bytes, cur == null ? 0 : cur.bytes() * 3 / 2));
    }

    // ---- transfers ----

    @Override
    public void upload(float[] src, int srcOffset, FloatBuf dst) {
        CudaFloats d = f(dst);
        if (d.length() == 0) return;
        MemorySegment pinned = staging.take(d.bytes());
        MemorySegment.copy(src, srcOffset, pinned, JAVA_FLOAT, 0, Math.toIntExact(d.length()));
        cuda("cudaMemcpyAsync(H2D)", rt.cudaMemcpyAsync(d.ptr(), pinned, d.bytes(), Cudart.cudaMemcpyHostToDevice, stream));
        staging.copied();
    }

    @Override
    public void upload(int[] src, int srcOffset, IntBuf dst) {
        CudaInts d = i(dst);
        if (d.length() == 0) return;
        MemorySegment pinned = staging.take(d.bytes());
        MemorySegment.copy(src, srcOffset, pinned, JAVA_INT, 0, Math.toIntExact(d.length()));
        cuda("cudaMemcpyAsync(H2D)", rt.cudaMemcpyAsync(d.ptr(), pinned, d.bytes(), Cudart.cudaMemcpyHostToDevice, stream));
        staging.copied();
    }

    @Override
    public void download(FloatBuf src, float[] dst, int dstOffset) {
        CudaFloats s = f(src);
        if (s.length() == 0) return;
        MemorySegment pinned = staging.take(s.bytes());
        cuda("cudaMemcpyAsync(D2H)", rt.cudaMemcpyAsync(pinned, s.ptr(), s.bytes(), Cudart.cudaMemcpyDeviceToHost, stream));
        staging.copied();
        cuda("cudaStreamSynchronize", rt.cudaStreamSynchronize(stream));
        MemorySegment.copy(pinned, JAVA_FLOAT, 0, dst, dstOffset, Math.toIntExact(s.length()));
    }

    @Override
    public void download(IntBuf src, int[] dst, int dstOffset) {
        CudaInts s = i(src);
        if (s.length() == 0) return;
        MemorySegment pinned = staging.take(s.bytes());
        cuda("cudaMemcpyAsync(D2H)", rt.cudaMemcpyAsync(pinned, s.ptr(), s.bytes(), Cudart.cudaMemcpyDeviceToHost, stream));
        staging.copied();
        cuda("cudaStreamSynchronize", rt.cudaStreamSynchronize(stream));
        MemorySegment.copy(pinned, JAVA_INT, 0, dst, dstOffset, Math.toIntExact(s.length()));
    }

    @Override
    public void uploadRows(float[] src, int rows, int width, FloatBuf dst, int dstStride) {
        long n = (long) rows * width;
        if (n == 0) return;
        rowsScratch = grow(rowsScratch, n);
        upload(src, 0, rowsScratch.slice(0, n));
        launch("copy_rows", grid(n), g -> k.copy_rows(g, stream, rows, width, p(rowsScratch), p(f(dst)), dstStride));
    }

    @Override
    public void fill(FloatBuf dst, float value) {
        CudaFloats d = f(dst);
        if (d.length() == 0) return;
        if (Float.floatToRawIntBits(value) == 0)
            cuda("cudaMemsetAsync", rt.cudaMemsetAsync(d.ptr(), 0, d.bytes(), stream));
        else
            launch("fill_f32", grid(d.length()), g -> k.fill_f32(g, stream, d.length(), value, d.ptr()));
    }

    @Override
    public void copy(FloatBuf src, FloatBuf dst) {
        if (src.length() != dst.length()) throw new IllegalArgumentException("copy of " + src.length() + " into " + dst.length());
        if (src.length() == 0) return;
        cuda("cudaMemcpyAsync(D2D)", rt.cudaMemcpyAsync(f(dst).ptr(), f(src).ptr(), f(src).bytes(), Cudart.cudaMemcpyDeviceToDevice, stream));
    }

    // ---- launching ----

    @FunctionalInterface
    private interface Launch {
        int run(Kernels.Grid g);
    }

    /** A 1-D grid covering n elements with grid-stride kernels. */
    private static Kernels.Grid grid(long n) {
        return new Kernels.Grid((int) Math.max(1, Math.min(MAX_BLOCKS, (n + THREADS - 1) / THREADS)), THREADS);
    }

    /** Launches unless the grid covers nothing; the launch's status goes through the check. */
    private void launch(String kernel, Kernels.Grid g, Launch l) {
        ensureOpen();
        cuda("cudaLaunchKernel(" + kernel + ")", l.run(g));
    }

    private void launchOver(String kernel, long n, Launch l) {
        if (n > 0) launch(kernel, grid(n), l);
    }

    // ---- ops ----

    @Override
    public void padForward(int B, int T, int P, int C, FloatBuf x, IntBuf len, FloatBuf out) {
        launchOver("pad_forward", (long) B * (T + 2L * P) * C, g -> k.pad_forward(g, stream, B, T, P, C, p(f(x)), i(len).ptr(), p(f(out))));
    }

    @Override
    public void embeddingForward(int B, int T, int P, int D, IntBuf tokens, IntBuf len, FloatBuf table, FloatBuf out) {
        launchOver("embedding_forward", (long) B * (T + 2L * P) * D,
                g -> k.embedding_forward(g, stream, B, T, P, D, i(tokens).ptr(), i(len).ptr(), p(f(table)), p(f(out))));
    }

    @Override
    public void embeddingBackward(int B, int T, int P, int D, IntBuf tokens, IntBuf len, FloatBuf dout, FloatBuf dtable) {
        // one block of SER4J_EMB_THREADS per token position (kernels/embedding.cu)
        if ((long) B * T == 0) return;
        launch("embedding_backward", new Kernels.Grid(Math.multiplyExact(B, T), Kernels.SER4J_EMB_THREADS),
                g -> k.embedding_backward(g, stream, B, T, P, D, i(tokens).ptr(), i(len).ptr(), p(f(dout)), p(f(dtable))));
    }

    @Override
    public void convForward(ConvShape s, int B, int T, FloatBuf x, IntBuf len, FloatBuf[] w, FloatBuf[] b, FloatBuf out) {
        int P = s.pad(), W = T + 2 * P, F = s.filters(), cin = s.cin(), co = s.cout();
        int[] ks = s.kernels();
        for (int kk = 0; kk < ks.length; kk++) {
            int sk = ks[kk], off = P - ConvShape.left(sk), col0 = kk * F;
            ConvPlans.Plan plan = convPlans.plan(new ConvPlans.Shape(cin, F, sk, B, W));
            int Wk = plan.shape().outWidth();
            CudaFloats wt = convWeights = grow(convWeights, (long) F * sk * cin);
            CudaFloats y = convOut = grow(convOut, (long) B * Wk * F);
            CudaFloats ws = workspace(plan.fwdBytes());
            CudaFloats wk = f(w[kk]);
            launchOver("conv_pack_weights", (long) F * cin * sk, g -> k.conv_pack_weights(g, stream, F, cin, sk, p(wk), p(wt)));
            cudnn("cudnnConvolutionForward", dnn.cudnnConvolutionForward(cudnnHandle, one, plan.x(), p(f(x)), plan.w(), p(wt),
                    plan.conv(), plan.fwdAlgo(), p(ws), plan.fwdBytes(), zero, plan.y(), p(y)));
            CudaFloats bias = f(b[kk]);
            launchOver("conv_bias_relu", (long) B * W * F, g -> k.conv_bias_relu(g, stream, B, T, P, Wk, off, F, co, col0,
                    p(y), p(bias), i(len).ptr(), p(f(out))));
        }
    }

    @Override
    public void convBackward(ConvShape s, int B, int T, FloatBuf x, IntBuf len, FloatBuf[] w, FloatBuf out,
                             FloatBuf dout, FloatBuf dx, FloatBuf[] dw, FloatBuf[] db) {
        int P = s.pad(), W = T + 2 * P, F = s.filters(), cin = s.cin(), co = s.cout();
        int[] ks = s.kernels();
        CudaFloats d = f(dout);
        launchOver("conv_relu_mask", (long) B * W * co, g -> k.conv_relu_mask(g, stream, B, T, P, co, p(f(out)), i(len).ptr(), p(d)));
        for (int kk = 0; kk < ks.length; kk++) {
            int sk = ks[kk], off = P - ConvShape.left(sk), col0 = kk * F;
            ConvPlans.Plan plan = convPlans.plan(new ConvPlans.Shape(cin, F, sk, B, W));
            int Wk = plan.shape().outWidth();
            CudaFloats dy = convOut = grow(convOut, (long) B * Wk * F);
            CudaFloats dwt = convGrad = grow(convGrad, (long) F * sk * cin);
            CudaFloats wt = convWeights = grow(convWeights, (long) F * sk * cin);
            CudaFloats ws = workspace(Math.max(plan.bwdDataBytes(), plan.bwdFilterBytes()));
            launchOver("conv_gather_dy", (long) B * Wk * F, g -> k.conv_gather_dy(g, stream, B, T, P, Wk, off, F, co, col0, p(d), p(dy)));
            columnSum(B * Wk, F, dy, F, f(db[kk]));
            cudnn("cudnnConvolutionBackwardFilter", dnn.cudnnConvolutionBackwardFilter(cudnnHandle, one, plan.x(), p(f(x)), plan.y(), p(dy),
                    plan.conv(), plan.bwdFilterAlgo(), p(ws), plan.bwdFilterBytes(), zero, plan.w(), p(dwt)));
            CudaFloats dwk = f(dw[kk]);
            launchOver("conv_unpack_add", (long) F * cin * sk, g -> k.conv_unpack_add(g, stream, F, cin, sk, p(dwt), p(dwk)));
            if (dx != null) {
                CudaFloats wk = f(w[kk]);
                launchOver("conv_pack_weights", (long) F * cin * sk, g -> k.conv_pack_weights(g, stream, F, cin, sk, p(wk), p(wt)));
                // beta = 1: cuDNN adds into dx (sheet C.5)
                cudnn("cudnnConvolutionBackwardData", dnn.cudnnConvolutionBackwardData(cudnnHandle, one, plan.w(), p(wt), plan.y(), p(dy),
                        plan.conv(), plan.bwdDataAlgo(), p(ws), plan.bwdDataBytes(), one, plan.x(), p(f(dx))));
            }
        }
    }

    private CudaFloats workspace(long bytes) {
        convWorkspace = grow(convWorkspace, (bytes + Float.BYTES - 1) / Float.BYTES);
        return convWorkspace;
    }

    /** out[col] += sum over rows of x[row, col] (x with leading dimension ldx), deterministic (kernels/linear.cu). */
    private void columnSum(int rows, int cols, CudaFloats x, int ldx, CudaFloats out) {
        if (rows == 0 || cols == 0) return;
        int chunks = (rows + Kernels.SER4J_COLSUM_ROWS - 1) / Kernels.SER4J_COLSUM_ROWS;
        DeviceBuffer partial = colsumScratch = growBytes(colsumScratch, (long) chunks * cols * Double.BYTES);
        launchOver("colsum_partial", (long) chunks * cols, g -> k.colsum_partial(g, stream, rows, cols, p(x), ldx, partial.ptr()));
        launchOver("colsum_finish", cols, g -> k.colsum_finish(g, stream, chunks, cols, partial.ptr(), p(out)));
    }

    @Override
    public void statPoolForward(Pooling st, int B, int T, int P, int C, FloatBuf x, IntBuf len, FloatBuf out, int outStride, IntBuf argmax) {
        launchOver("statpool_forward", (long) B * C, g -> k.statpool_forward(g, stream, st.ordinal(), B, T, P, C, p(f(x)), i(len).ptr(),
                p(f(out)), outStride, i(argmax).ptr()));
    }

    @Override
    public void statPoolBackward(Pooling st, int B, int T, int P, int C, FloatBuf x, IntBuf len, FloatBuf out, int outStride,
                                 IntBuf argmax, FloatBuf dout, FloatBuf dx) {
        launchOver("statpool_backward", (long) B * T * C, g -> k.statpool_backward(g, stream, st.ordinal(), B, T, P, C, p(f(x)),
                i(len).ptr(), p(f(out)), outStride, i(argmax).ptr(), p(f(dout)), p(f(dx))));
    }

    private DeviceBuffer attentionScratch(long n) {
        return attScratch = growBytes(attScratch, Math.max(1, n) * Double.BYTES);
    }

    @Override
    public void attentionForward(int B, int G, int T, int P, int C, FloatBuf q, int qStride, FloatBuf keys, IntBuf len,
                                 FloatBuf probs, FloatBuf out, int outStride) {
        long bgt = (long) B * G * T;
        DeviceBuffer s = attentionScratch(bgt);
        launchOver("attention_scores", bgt, g -> k.attention_scores(g, stream, B, G, T, P, C, p(f(q)), qStride, p(f(keys)), i(len).ptr(), s.ptr()));
        launchOver("attention_softmax", (long) B * G, g -> k.attention_softmax(g, stream, B, G, T, i(len).ptr(), s.ptr(), p(f(probs))));
        launchOver("attention_weighted_sum", (long) B * G * C, g -> k.attention_weighted_sum(g, stream, B, G, T, P, C, p(f(keys)),
                i(len).ptr(), p(f(probs)), p(f(out)), outStride));
    }

    @Override
    public void attentionBackward(int B, int G, int T, int P, int C, FloatBuf q, int qStride, FloatBuf keys, IntBuf len,
                                  FloatBuf probs, FloatBuf dout, int outStride, FloatBuf dq, FloatBuf dkeys) {
        long bgt = (long) B * G * T;
        DeviceBuffer ds = attentionScratch(bgt);
        launchOver("attention_backward_scores", bgt, g -> k.attention_backward_scores(g, stream, B, G, T, P, C, p(f(keys)),
                i(len).ptr(), p(f(dout)), outStride, ds.ptr()));
        launchOver("attention_backward_softmax", (long) B * G, g -> k.attention_backward_softmax(g, stream, B, G, T, i(len).ptr(),
                p(f(probs)), ds.ptr()));
        launchOver("attention_backward_dq", (long) B * G * C, g -> k.attention_backward_dq(g, stream, B, G, T, P, C, p(f(keys)),
                i(len).ptr(), ds.ptr(), p(f(dq)), qStride));
        launchOver("attention_backward_dkeys", (long) B * T * C, g -> k.attention_backward_dkeys(g, stream, B, G, T, P, C, p(f(q)),
                qStride, i(len).ptr(), p(f(probs)), ds.ptr(), p(f(dout)), outStride, p(f(dkeys))));
    }

    /*
     * Row-major products through column-major cuBLAS (sheet B.4): a row-major [r, c] matrix is the column-major
     * [c, r] one with leading dimension c. out [N,O] = x [N,I] w^T is, column-major, out^T = (w^T)^T x^T:
     * sgemm(T, N, m=O, n=N, k=I, A=w lda=I, B=x ldb=I, C=out ldc=O).
     */
    @Override
    public void linearForward(int N, int I, int O, FloatBuf x, FloatBuf w, FloatBuf b, FloatBuf out) {
        launchOver("bias_rows", (long) N * O, g -> k.bias_rows(g, stream, N, O, p(f(b)), p(f(out))));
        if (N == 0 || I == 0 || O == 0) return;
        cublas("cublasSgemm_v2(linear forward)", blas.cublasSgemm_v2(cublasHandle, Cublas.CUBLAS_OP_T, Cublas.CUBLAS_OP_N,
                O, N, I, one, p(f(w)), I, p(f(x)), I, one, p(f(out)), O));
    }

    @Override
    public void linearBackward(int N, int I, int O, FloatBuf x, FloatBuf w, FloatBuf dout, FloatBuf dx, FloatBuf dw, FloatBuf db) {
        if (N == 0 || I == 0 || O == 0) return;
        // dx [N,I] += dout [N,O] w [O,I]: column-major dx^T = w^T dout^T -> sgemm(N, N, m=I, n=N, k=O, w lda=I, dout ldb=O)
        if (dx != null)
            cublas("cublasSgemm_v2(linear dx)", blas.cublasSgemm_v2(cublasHandle, Cublas.CUBLAS_OP_N, Cublas.CUBLAS_OP_N,
                    I, N, O, one, p(f(w)), I, p(f(dout)), O, one, p(f(dx)), I));
        // dw [O,I] += dout^T x: column-major dw^T [I,O] = x^T dout -> sgemm(N, T, m=I, n=O, k=N, x lda=I, dout ldb=O)
        cublas("cublasSgemm_v2(linear dw)", blas.cublasSgemm_v2(cublasHandle, Cublas.CUBLAS_OP_N, Cublas.CUBLAS_OP_T,
                I, O, N, one, p(f(x)), I, p(f(dout)), O, one, p(f(dw)), I));
        columnSum(N, O, f(dout), O, f(db));
    }

    @Override
    public void reluForward(long n, FloatBuf x, FloatBuf out) {
        launchOver("relu_forward", n, g -> k.relu_forward(g, stream, n, p(f(x)), p(f(out))));
    }

    @Override
    public void reluBackward(long n, FloatBuf out, FloatBuf dout, FloatBuf dx) {
        launchOver("relu_backward", n, g -> k.relu_backward(g, stream, n, p(f(out)), p(f(dout)), p(f(dx))));
    }

    @Override
    public void dropoutForward(long n, float p, long seed, FloatBuf x, FloatBuf out) {
        launchOver("dropout_forward", n, g -> k.dropout_forward(g, stream, n, p, seed, p(f(x)), p(f(out))));
    }

    @Override
    public void dropoutBackward(long n, float p, long seed, FloatBuf dout, FloatBuf dx) {
        launchOver("dropout_backward", n, g -> k.dropout_backward(g, stream, n, p, seed, p(f(dout)), p(f(dx))));
    }

    @Override
    public void crossEntropyForward(int N, int E, FloatBuf logits, IntBuf labels, FloatBuf probs, FloatBuf losses) {
        MemorySegment l = losses == null ? MemorySegment.NULL : p(f(losses));
        launchOver("crossentropy_forward", N, g -> k.crossentropy_forward(g, stream, N, E, p(f(logits)), i(labels).ptr(), p(f(probs)), l));
    }

    @Override
    public void crossEntropyBackward(int N, int E, FloatBuf probs, IntBuf labels, FloatBuf dlogits) {
        launchOver("crossentropy_backward", (long) N * E, g -> k.crossentropy_backward(g, stream, N, E, p(f(probs)), i(labels).ptr(), p(f(dlogits))));
    }

    @Override
    public void squaredNorm(FloatBuf g, FloatBuf acc) {
        CudaFloats gg = f(g);
        if (gg.length() == 0) return;
        DeviceBuffer partial = normScratch = growBytes(normScratch, (long) Kernels.SER4J_NORM_BLOCKS * Double.BYTES);
        // fixed geometry: the summation order, hence the result, does not depend on the GPU
        launch("squared_norm_partial", new Kernels.Grid(Kernels.SER4J_NORM_BLOCKS, Kernels.SER4J_NORM_THREADS),
                gr -> k.squared_norm_partial(gr, stream, gg.length(), p(gg), partial.ptr()));
        launch("squared_norm_finish", new Kernels.Grid(1, Kernels.SER4J_NORM_THREADS),
                gr -> k.squared_norm_finish(gr, stream, partial.ptr(), p(f(acc))));
    }

    @Override
    public void adam(AdamHyper h, int step, FloatBuf normSq, FloatBuf p, FloatBuf g, FloatBuf m, FloatBuf v) {
        // the two step constants exactly as cpu/Adam.update computes them
        double bc1 = 1 - Math.pow(h.beta1(), step), bc2 = 1 - Math.pow(h.beta2(), step);
        float stepSize = (float) (h.lr() / bc1), bc2Sqrt = (float) Math.sqrt(bc2);
        long n = p.length();
        launchOver("adam_update", n, gr -> k.adam_update(gr, stream, n, stepSize, bc2Sqrt, h.beta1(), h.beta2(), h.eps(), h.clipNorm(),
                p(f(normSq)), p(f(p)), p(f(g)), p(f(m)), p(f(v))));
    }

    /** Waits for everything enqueued so far (benchmarks, tests). */
    public void synchronize() {
        cuda("cudaStreamSynchronize", rt.cudaStreamSynchronize(stream));
    }

    // ---- lifetime ----

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("the CUDA backend is closed");
    }

    /** Frees every device buffer still live, then destroys handles, descriptors and the kernel library, newest first. */
    @Override
    public void close() {
        if (closed) return;
        RuntimeException first = null;
        try {
            synchronize();
        } catch (RuntimeException e) {
            first = e;
        }
        closeQuietly(first);
    }

    private void closeQuietly(RuntimeException first) {
        closed = true;
        List<DeviceBuffer> buffers = new ArrayList<>(live.values());
        for (int j = buffers.size() - 1; j >= 0; j--) {
            try {
                cuda("cudaFree", rt.cudaFree(buffers.get(j).ptr()));
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        live.clear();
        for (int j = destroyers.size() - 1; j >= 0; j--) {
            try {
                destroyers.get(j).run();
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        destroyers.clear();
        arena.close();
        if (first != null) throw first;
    }
}
