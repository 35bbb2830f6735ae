package dev.ser4j.cpu;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sgemm entry point (OpenBLAS when present) and the pure-Java fallback against the naive oracle. */
class SgemmTest {
    interface Gemm {
        void run(boolean ta, boolean tb, int M, int N, int K, float alpha, float[] A, int aOff, int lda,
                 float[] B, int bOff, int ldb, float beta, float[] C, int cOff, int ldc);
    }

    private static void check(String name, Gemm gemm) {
        SplittableRandom rng = new SplittableRandom(7);
        int[][] shapes = {{1, 1, 1}, {1, 256, 573}, {1, 33, 17}, {3, 5, 7}, {17, 33, 300}, {64, 512, 96}, {300, 17, 1}, {5, 260, 513}, {2, 3, 0}};
        for (int[] s : shapes)
            for (int trans = 0; trans < 4; trans++)
                for (float beta : new float[]{0f, 1f, 0.5f}) {
                    boolean ta = (trans & 1) != 0, tb = (trans & 2) != 0;
                    int M = s[0], N = s[1], K = s[2];
                    int lda = (ta ? M : K) + 3, ldb = (tb ? K : N) + 1, ldc = N + 2, aOff = 5, bOff = 2, cOff = 7;
                    float[] A = random(rng, aOff + (ta ? K : M) * lda), B = random(rng, bOff + (tb ? N : K) * ldb);
                    float[] C = random(rng, cOff + M * ldc), expected = C.clone();
                    Sgemm.naive(ta, tb, M, N, K, 0.75f, A, aOff, lda, B, bOff, ldb, beta, expected, cOff, ldc);
                    gemm.run(ta, tb, M, N, K, 0.75f, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
                    for (int i = 0; i < C.length; i++) {
                        boolean inside = i >= cOff && (i - cOff) / ldc < M && (i - cOff) % ldc < N;
                        float tol = inside ? 1e-5f * (K + 1) : 0f;     // outside the matrix nothing may change
                        assertTrue(Math.abs(C[i] - expected[i]) <= tol, name + " " + M + "x" + N + "x" + K + " ta=" + ta
                                + " tb=" + tb + " beta=" + beta + " at " + i + ": " + C[i] + " vs " + expected[i]);
                    }
                }
    }

    private static float[] random(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.nextGaussian();
        return a;
    }

    @Test
    void entryPointMatchesNaiveForEveryTransposeAndStride() {
        check("sgemm (" + Sgemm.describe() + ")", Sgemm::sgemm);
    }

    /** With beta = 0, C's old contents never reach the result, NaN included (one row goes through sgemv). */
    @Test
    void betaZeroIgnoresWhatCHeld() {
        for (int M : new int[]{1, 4}) {
            float[] A = new float[M * 3], B = new float[3 * 5], C = new float[M * 5];
            java.util.Arrays.fill(A, 1f);
            java.util.Arrays.fill(B, 2f);
            java.util.Arrays.fill(C, Float.NaN);
            Sgemm.sgemm(false, false, M, 5, 3, 1f, A, 0, 3, B, 0, 5, 0f, C, 0, 5);
            for (float c : C) assertTrue(c == 6f, "M=" + M + ": " + java.util.Arrays.toString(C));
        }
    }

    @Test
    void javaFallbackMatchesNaiveForEveryTransposeAndStride() {
        check("javaSgemm", Sgemm::javaSgemm);
    }
}
