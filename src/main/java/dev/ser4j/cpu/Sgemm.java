package dev.ser4j.cpu;

import dev.ser4j.bindings.openblas.OpenBlas;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The one matrix-product entry point of the CPU backend, row-major:
 * {@code C[M,N] = alpha * op(A)[M,K] * op(B)[K,N] + beta * C}, where {@code op(X)} is X or its transpose and
 * every matrix is a slice of a {@code float[]} at an offset with a leading dimension.
 *
 * <p>Backed by OpenBLAS through FFM when the library is present, by {@link #javaSgemm} otherwise
 * ({@code SER4J_BLAS=java} forces it). {@link #naive} is the oracle both are tested against.
 */
public final class Sgemm {
    private Sgemm() {}

    private static final Arena LIBRARY_ARENA = Arena.ofShared();   // lives as long as the class: never closed
    private static final OpenBlas.Load OPENBLAS = loadOpenBlas();

    private static OpenBlas.Load loadOpenBlas() {
        String choice = System.getenv().getOrDefault("SER4J_BLAS", System.getProperty("ser4j.blas", "auto"))
                .toLowerCase(Locale.ROOT);
        if (choice.equals("java")) return new OpenBlas.Load(Optional.empty(), "pure-Java sgemm requested (SER4J_BLAS=java)");
        return OpenBlas.load(LIBRARY_ARENA);
    }

    /** The library in use, or why the pure-Java fallback is used. */
    public static String describe() {
        return OPENBLAS.blas().map(b -> "OpenBLAS (" + b.library() + ", " + b.openblas_get_config().trim() + ", "
                + b.openblas_get_num_threads() + " threads)").orElse("pure-Java sgemm: " + OPENBLAS.why());
    }

    public static boolean usesOpenBlas() {
        return OPENBLAS.blas().isPresent();
    }

    public static void sgemm(boolean transA, boolean transB, int M, int N, int K, float alpha,
                             float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                             float beta, float[] C, int cOff, int ldc) {
        if (M == 0 || N == 0) return;
        if (OPENBLAS.blas().isPresent() && K > 0) {
            openBlas(OPENBLAS.blas().get(), transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
        } else {
            javaSgemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
        }
    }

    private static void openBlas(OpenBlas blas, boolean transA, boolean transB, int M, int N, int K, float alpha,
                                 float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                                 float beta, float[] C, int cOff, int ldc) {
        if (M == 1) {
            rowTimesMatrix(blas, transA, transB, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff);
            return;
        }
        blas.cblas_sgemm(OpenBlas.CblasRowMajor,
                transA ? OpenBlas.CblasTrans : OpenBlas.CblasNoTrans,
                transB ? OpenBlas.CblasTrans : OpenBlas.CblasNoTrans,
                M, N, K, alpha,
                heap(A, aOff), lda, heap(B, bOff), ldb, beta, heap(C, cOff), ldc);
    }

    /**
     * One row of C as a matrix-vector product, {@code c = alpha op(B)^T a + beta c}: sgemm packs all of B first, which
     * for one row (a linear layer on one utterance) costs as much as the product; sgemv reads B once. With beta = 0
     * the row is zeroed first, so that nothing C held before can leak into it (0 * NaN).
     */
    private static void rowTimesMatrix(OpenBlas blas, boolean transA, boolean transB, int N, int K, float alpha,
                                       float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                                       float beta, float[] C, int cOff) {
        if (beta == 0f) java.util.Arrays.fill(C, cOff, cOff + N, 0f);
        int incA = transA ? lda : 1;                       // op(A) is [1, K]: a row of A, or a column of A^T
        // B [K, N]: c = B^T a; B^T stored as [N, K]: c = B a
        if (transB) blas.cblas_sgemv(OpenBlas.CblasRowMajor, OpenBlas.CblasNoTrans, N, K, alpha, heap(B, bOff), ldb, heap(A, aOff), incA, beta, heap(C, cOff), 1);
        else blas.cblas_sgemv(OpenBlas.CblasRowMajor, OpenBlas.CblasTrans, K, N, alpha, heap(B, bOff), ldb, heap(A, aOff), incA, beta, heap(C, cOff), 1);
    }

    private static MemorySegment heap(float[] a, int offset) {
        return MemorySegment.ofArray(a).asSlice(4L * offset);
    }

    // Block sizes of the Java kernel: a K x N panel of B (KC * NC floats = 256 KiB) stays in L2.
    private static final int KC = 256, NC = 256, MC = 16;

    /**
     * The pure-Java sgemm: B is packed panel by panel into row-major order, then every row of C takes
     * {@code a(i,k) * Bpanel(k, :)} updates whose inner loop the JIT vectorises; row blocks run in parallel.
     * Each element of C is summed by one thread in a fixed order, so results do not depend on the thread count.
     */
    public static void javaSgemm(boolean transA, boolean transB, int M, int N, int K, float alpha,
                                 float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                                 float beta, float[] C, int cOff, int ldc) {
        for (int i = 0; i < M; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) java.util.Arrays.fill(C, row, row + N, 0f);
            else if (beta != 1f) for (int j = 0; j < N; j++) C[row + j] *= beta;
        }
        if (K == 0 || alpha == 0f) return;
        float[] panel = new float[KC * NC];
        for (int k0 = 0; k0 < K; k0 += KC) {
            int kc = Math.min(KC, K - k0);
            for (int j0 = 0; j0 < N; j0 += NC) {
                int nc = Math.min(NC, N - j0);
                for (int k = 0; k < kc; k++)
                    for (int j = 0; j < nc; j++)
                        panel[k * nc + j] = transB ? B[bOff + (j0 + j) * ldb + k0 + k] : B[bOff + (k0 + k) * ldb + j0 + j];
                final int fk0 = k0, fj0 = j0;
                int blocks = (M + MC - 1) / MC;
                IntStream range = IntStream.range(0, blocks);
                if ((long) M * nc * kc > 1 << 16) range = range.parallel();
                range.forEach(blk -> {
                    int iEnd = Math.min(M, (blk + 1) * MC);
                    for (int i = blk * MC; i < iEnd; i++) {
                        int crow = cOff + i * ldc + fj0;
                        for (int k = 0; k < kc; k++) {
                            float a = alpha * (transA ? A[aOff + (fk0 + k) * lda + i] : A[aOff + i * lda + fk0 + k]);
                            if (a == 0f) continue;
                            int p = k * nc;
                            for (int j = 0; j < nc; j++) C[crow + j] += a * panel[p + j];
                        }
                    }
                });
            }
        }
    }

    /** The oracle: one double-precision dot product per element of C. */
    public static void naive(boolean transA, boolean transB, int M, int N, int K, float alpha,
                             float[] A, int aOff, int lda, float[] B, int bOff, int ldb,
                             float beta, float[] C, int cOff, int ldc) {
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++) {
                double s = 0;
                for (int k = 0; k < K; k++) {
                    float a = transA ? A[aOff + k * lda + i] : A[aOff + i * lda + k];
                    float b = transB ? B[bOff + j * ldb + k] : B[bOff + k * ldb + j];
                    s += (double) a * b;
                }
                int c = cOff + i * ldc + j;
                C[c] = (float) (alpha * s + (beta == 0f ? 0.0 : (double) beta * C[c]));
            }
    }
}
