package dev.ser4j.bindings.openblas;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * FFM header for OpenBLAS's CBLAS interface ({@code cblas.h}, LP64 build: {@code blasint} is {@code int}),
 * as Debian's {@code libopenblas0} installs it ({@code libopenblas.so.0}).
 *
 * <pre>
 * void cblas_sgemm(enum CBLAS_ORDER Order, enum CBLAS_TRANSPOSE TransA, enum CBLAS_TRANSPOSE TransB,
 *                  blasint M, blasint N, blasint K, float alpha, const float *A, blasint lda,
 *                  const float *B, blasint ldb, float beta, float *C, blasint ldc);
 * void cblas_sgemv(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE trans, blasint m, blasint n, float alpha,
 *                  const float *a, blasint lda, const float *x, blasint incx, float beta, float *y, blasint incy);
 * int   openblas_get_num_threads(void);
 * void  openblas_set_num_threads(int num_threads);
 * char* openblas_get_config(void);
 * </pre>
 *
 * The sgemm and sgemv handles are linked {@code critical(true)}: it may take heap segments ({@code MemorySegment.ofArray}),
 * so the CPU backend passes its {@code float[]} storage without copying.
 */
public final class OpenBlas {
    public static final int CblasRowMajor = 101;
    public static final int CblasNoTrans = 111;
    public static final int CblasTrans = 112;

    /** Names tried in order; {@code SER4J_OPENBLAS} (a path) comes first when set. */
    static final List<String> LIBRARY_NAMES = List.of(
            "libopenblas.so.0", "libopenblas.so",
            "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
            "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0");

    private static final FunctionDescriptor SGEMM_DESC = FunctionDescriptor.ofVoid(
            JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
            JAVA_FLOAT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT);

    private static final FunctionDescriptor SGEMV_DESC = FunctionDescriptor.ofVoid(
            JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT);

    private final String library;
    private final MethodHandle cblas_sgemm;
    private final MethodHandle cblas_sgemv;
    private final MethodHandle openblas_get_num_threads;
    private final MethodHandle openblas_set_num_threads;
    private final MethodHandle openblas_get_config;

    private OpenBlas(String library, SymbolLookup lookup) {
        Linker linker = Linker.nativeLinker();
        this.library = library;
        this.cblas_sgemm = linker.downcallHandle(find(lookup, "cblas_sgemm"), SGEMM_DESC, Linker.Option.critical(true));
        this.cblas_sgemv = linker.downcallHandle(find(lookup, "cblas_sgemv"), SGEMV_DESC, Linker.Option.critical(true));
        this.openblas_get_num_threads = linker.downcallHandle(find(lookup, "openblas_get_num_threads"), FunctionDescriptor.of(JAVA_INT));
        this.openblas_set_num_threads = linker.downcallHandle(find(lookup, "openblas_set_num_threads"), FunctionDescriptor.ofVoid(JAVA_INT));
        this.openblas_get_config = linker.downcallHandle(find(lookup, "openblas_get_config"), FunctionDescriptor.of(ADDRESS));
    }

    private static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new UnsatisfiedLinkError("symbol " + name + " not found"));
    }

    /** The outcome of looking for the library: the binding, or why there is none. */
    public record Load(Optional<OpenBlas> blas, String why) {}

    /**
     * Loads OpenBLAS into {@code arena} (which must outlive every call), trying {@code SER4J_OPENBLAS} and then
     * the usual names; never throws.
     */
    public static Load load(Arena arena) {
        List<String> names = new ArrayList<>();
        String override = System.getenv("SER4J_OPENBLAS");
        if (override != null && !override.isBlank()) names.add(override);
        names.addAll(LIBRARY_NAMES);
        List<String> tried = new ArrayList<>();
        for (String name : names) {
            if (name.startsWith("/") && !Files.exists(Path.of(name))) continue;
            try {
                SymbolLookup lookup = SymbolLookup.libraryLookup(name, arena);
                return new Load(Optional.of(new OpenBlas(name, lookup)), "loaded " + name);
            } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
                tried.add(name);
            }
        }
        return new Load(Optional.empty(), "OpenBLAS not found (tried " + String.join(", ", tried)
                + "); install Debian's libopenblas0 or set SER4J_OPENBLAS to the library's path");
    }

    public String library() { return library; }

    public void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha,
                            MemorySegment a, int lda, MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        try {
            cblas_sgemm.invokeExact(order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        } catch (Throwable t) {
            throw new IllegalStateException("cblas_sgemm failed", t);
        }
    }

    public void cblas_sgemv(int order, int trans, int m, int n, float alpha, MemorySegment a, int lda,
                            MemorySegment x, int incx, float beta, MemorySegment y, int incy) {
        try {
            cblas_sgemv.invokeExact(order, trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
        } catch (Throwable t) {
            throw new IllegalStateException("cblas_sgemv failed", t);
        }
    }

    public int openblas_get_num_threads() {
        try {
            return (int) openblas_get_num_threads.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_get_num_threads failed", t);
        }
    }

    public void openblas_set_num_threads(int threads) {
        try {
            openblas_set_num_threads.invokeExact(threads);
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_set_num_threads failed", t);
        }
    }

    public String openblas_get_config() {
        try {
            MemorySegment s = (MemorySegment) openblas_get_config.invokeExact();
            return s.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_get_config failed", t);
        }
    }
}
