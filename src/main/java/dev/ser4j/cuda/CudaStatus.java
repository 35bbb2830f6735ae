package dev.ser4j.cuda;

import dev.ser4j.bindings.cublas.Cublas;
import dev.ser4j.bindings.cudart.Cudart;
import dev.ser4j.bindings.cudnn.Cudnn;

import java.lang.foreign.MemorySegment;

/**
 * The one check every status code goes through (style.md, "Native memory"): success passes, anything else
 * throws a {@link CudaException} naming the call, the code and the library's name and text for it.
 */
final class CudaStatus {
    private CudaStatus() {}

    static void cuda(Cudart rt, String call, int code) {
        if (code != Cudart.cudaSuccess) throw new CudaException("cudart", call, code, cudaErrorText(rt, code));
    }

    static void cublas(Cublas blas, String call, int code) {
        if (code == Cublas.CUBLAS_STATUS_SUCCESS) return;
        String detail = null;
        try {
            detail = string(blas.cublasGetStatusName(code)) + ": " + string(blas.cublasGetStatusString(code));
        } catch (UnsatisfiedLinkError e) {
            detail = null;          // an old cuBLAS without the name functions: the code alone
        }
        throw new CudaException("cublas", call, code, detail);
    }

    static void cudnn(Cudnn dnn, String call, int code) {
        if (code == Cudnn.CUDNN_STATUS_SUCCESS) return;
        throw new CudaException("cudnn", call, code, string(dnn.cudnnGetErrorString(code)));
    }

    /** "cudaErrorInsufficientDriver: CUDA driver version is insufficient for CUDA runtime version". */
    static String cudaErrorText(Cudart rt, int code) {
        return string(rt.cudaGetErrorName(code)) + ": " + string(rt.cudaGetErrorString(code));
    }

    /** A static C string owned by the library (facts sheet section 1: never freed). */
    static String string(MemorySegment p) {
        return p.equals(MemorySegment.NULL) ? "(null)" : p.reinterpret(Long.MAX_VALUE).getString(0);
    }
}
