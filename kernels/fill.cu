/*
 * fill: a constant into x [n]; copy_rows: a dense [rows, width] block into rows of a wider matrix
 * (Backend.uploadRows after the upload to a staging buffer). One thread per element.
 */
#include "common.cuh"

SER4J_KERNEL void fill_f32(long long n, float value, float *x) {
    FOR_EACH_INDEX(i, n) x[i] = value;
}

SER4J_KERNEL void copy_rows(int rows, int width, const float *src, float *dst, int dstStride) {
    FOR_EACH_INDEX(i, (long long) rows * width) {
        long long r = i / width;
        int c = (int) (i % width);
        dst[r * dstStride + c] = src[i];
    }
}
