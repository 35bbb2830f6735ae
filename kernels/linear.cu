/*
 * linear (cpu/Linear.java), the parts around cuBLAS: out [N, O] starts as the bias in every row, then
 * sgemm adds x w^T. The bias gradient db [O] += sum_n dout[n, :] is a column sum, deterministic in two passes:
 * colsum_partial sums chunks of SER4J_COLSUM_ROWS rows per column in double, colsum_finish adds the chunks in
 * order and the total (rounded to float once) into out. The convolution's bias gradient uses the same pair.
 */
#include "common.cuh"

SER4J_KERNEL void bias_rows(int N, int O, const float *bias, float *out) {
    FOR_EACH_INDEX(i, (long long) N * O) out[i] = bias[i % O];
}

/* partial [ceil(rows / SER4J_COLSUM_ROWS), cols]; x [rows, cols] with leading dimension ldx. */
SER4J_KERNEL void colsum_partial(int rows, int cols, const float *x, int ldx, double *partial) {
    int chunks = (rows + SER4J_COLSUM_ROWS - 1) / SER4J_COLSUM_ROWS;
    FOR_EACH_INDEX(i, (long long) chunks * cols) {
        int col = (int) (i % cols), chunk = (int) (i / cols);
        int r0 = chunk * SER4J_COLSUM_ROWS, r1 = r0 + SER4J_COLSUM_ROWS < rows ? r0 + SER4J_COLSUM_ROWS : rows;
        double s = 0;
        for (int r = r0; r < r1; r++) s += x[(long long) r * ldx + col];
        partial[i] = s;
    }
}

SER4J_KERNEL void colsum_finish(int chunks, int cols, const double *partial, float *out) {
    FOR_EACH_INDEX(col, cols) {
        double s = 0;
        for (int ch = 0; ch < chunks; ch++) s += partial[(long long) ch * cols + col];
        out[col] += (float) s;
    }
}
