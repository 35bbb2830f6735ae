package dev.ser4j.cuda;

/**
 * A failed CUDA runtime, cuBLAS or cuDNN call: which library, which call, the status code, and the library's own
 * name/description of the code where it has one.
 */
public final class CudaException extends RuntimeException {
    private final String library;
    private final String call;
    private final int code;

    public CudaException(String library, String call, int code, String detail) {
        super(call + " failed with " + library + " status " + code + (detail == null || detail.isBlank() ? "" : " (" + detail + ")"));
        this.library = library;
        this.call = call;
        this.code = code;
    }

    /** {@code cudart}, {@code cublas} or {@code cudnn}. */
    public String library() { return library; }

    public String call() { return call; }

    public int code() { return code; }
}
