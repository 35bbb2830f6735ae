package dev.ser4j.cuda;

import dev.ser4j.bindings.cublas.Cublas;
import dev.ser4j.bindings.cudart.Cudart;
import dev.ser4j.bindings.cudnn.Cudnn;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The CUDA libraries of this process and what they report, loaded on first use only (so nothing is loaded until
 * the CUDA backend or {@code ./ser4j info} asks). {@link #whyUnusable()} answers whether the CUDA backend can run
 * and, when it cannot, one sentence saying why; {@link #report()} describes every part in words. The loaded
 * bindings themselves ({@link Probe}) stay inside this package.
 */
public final class CudaRuntime {
    private CudaRuntime() {}

    // Native libraries stay loaded for the life of the process: this arena is never closed.
    private static final Arena LIBRARIES = Arena.ofShared();
    private static Probe probe;

    /** Oldest compute capability the fatbin has machine code for (sm_80); newer GPUs JIT the compute_90 PTX. */
    public static final int MIN_COMPUTE_CAPABILITY = 80;

    /** One GPU: ordinal, compute capability, multiprocessors, memory (free/total bytes, -1 when not queried). */
    public record Device(int ordinal, int ccMajor, int ccMinor, int multiprocessors, long freeBytes, long totalBytes) {
        public int computeCapability() { return ccMajor * 10 + ccMinor; }

        @Override
        public String toString() {
            return "GPU " + ordinal + ": compute capability " + ccMajor + "." + ccMinor + ", " + multiprocessors
                    + " multiprocessors" + (totalBytes < 0 ? "" : String.format(", %.1f of %.1f GiB free", freeBytes / 1073741824.0, totalBytes / 1073741824.0));
        }
    }

    /**
     * What this machine offers. A library that could not be loaded is empty with the reason in its {@code *Why}.
     *
     * @param deviceError empty when cudaGetDeviceCount succeeded, else the error as the runtime names it
     * @param fatbin      the kernels' image from the jar, or empty with {@code kernelsWhy}
     */
    record Probe(Optional<Cudart> cudart, String cudartWhy, int runtimeVersion, int driverVersion,
                        Optional<String> deviceError, List<Device> devices,
                        Optional<Cublas> cublas, String cublasWhy, Optional<Cudnn> cudnn, String cudnnWhy,
                        Optional<byte[]> fatbin, String kernelsWhy) {

        /** Whether the CUDA backend can run here. */
        public boolean usable() { return whyUnusable().isEmpty(); }

        /** One sentence on why the CUDA backend cannot run, or empty. */
        public Optional<String> whyUnusable() {
            if (cudart.isEmpty()) return Optional.of(cudartWhy);
            if (deviceError.isPresent())
                return Optional.of("the CUDA runtime " + version(runtimeVersion) + " cannot reach a GPU: cudaGetDeviceCount failed with "
                        + deviceError.get() + (driverVersion == 0 ? "; no NVIDIA driver is installed (cudaDriverGetVersion reports 0)" : ""));
            if (devices.isEmpty()) return Optional.of("the NVIDIA driver " + version(driverVersion) + " reports no CUDA device");
            Device d = devices.getFirst();
            if (d.computeCapability() < MIN_COMPUTE_CAPABILITY)
                return Optional.of("GPU 0 has compute capability " + d.ccMajor() + "." + d.ccMinor()
                        + ", older than 8.0, the oldest ser4j's kernels are built for");
            if (cublas.isEmpty()) return Optional.of(cublasWhy);
            if (cudnn.isEmpty()) return Optional.of(cudnnWhy);
            if (fatbin.isEmpty()) return Optional.of(kernelsWhy);
            return Optional.empty();
        }
    }

    /**
     * The CUDA stack in words, for {@code ./ser4j info}: each part's version and library, or why it is missing.
     *
     * @param runtimeLoaded whether the CUDA runtime library could be loaded at all
     * @param driverVersion CUDA's encoding of the newest CUDA the driver supports (0: no driver)
     */
    public record Report(boolean runtimeLoaded, int driverVersion, String runtime, String driver, List<String> gpus, String cublas,
                         String cudnn, String kernels, Optional<String> whyUnusable) {}

    /** Whether the CUDA backend can run here. */
    public static boolean usable() {
        return probe().usable();
    }

    /** One sentence on why the CUDA backend cannot run here, or empty. */
    public static Optional<String> whyUnusable() {
        return probe().whyUnusable();
    }

    /** Every part of the CUDA stack in words (probing once per process). */
    public static Report report() {
        Probe p = probe();
        String runtime, driver = "";
        List<String> gpus = new ArrayList<>();
        if (p.cudart().isEmpty()) {
            runtime = "missing: " + p.cudartWhy();
        } else {
            runtime = version(p.runtimeVersion()) + " (" + p.cudart().get().library() + ")";
            driver = p.driverVersion() == 0 ? "none installed (cudaDriverGetVersion reports 0)" : "supports CUDA " + version(p.driverVersion());
            if (p.deviceError().isPresent()) gpus.add("none usable: cudaGetDeviceCount failed with " + p.deviceError().get());
            else if (p.devices().isEmpty()) gpus.add("none");
            else for (Device d : p.devices()) gpus.add(d.toString());
        }
        String cublas = p.cublas().map(b -> cublasVersion(b) + " (" + b.library() + ")").orElse("missing: " + p.cublasWhy());
        String cudnn = p.cudnn().map(d -> cudnnVersion(d) + " for CUDA " + version((int) d.cudnnGetCudartVersion()) + " (" + d.library() + ")"
                + (d.has("cudnnCnnVersionCheck") ? "" : "; its convolution library (libcudnn_cnn.so.9) is missing")).orElse("missing: " + p.cudnnWhy());
        String kernels = p.fatbin().isPresent() ? p.fatbin().get().length + "-byte fatbin, " + kernelsStatus() : "missing: " + p.kernelsWhy();
        return new Report(p.cudart().isPresent(), p.driverVersion(), runtime, driver, List.copyOf(gpus), cublas, cudnn, kernels, p.whyUnusable());
    }

    /** Probes once per process; later calls return the same answer. */
    static synchronized Probe probe() {
        if (probe == null) probe = runProbe();
        return probe;
    }

    /** "13.0" for 13000 (CUDA's major*1000 + minor*10 encoding). */
    public static String version(int v) {
        return v <= 0 ? "(none)" : (v / 1000) + "." + (v % 1000) / 10;
    }

    private static Probe runProbe() {
        Loaded<Cudart> cudart = Loaded.of(() -> Cudart.load(LIBRARIES), "the CUDA runtime is not installed");
        Optional<Cudart> rt = cudart.library();
        int runtimeVersion = 0, driverVersion = 0;
        Optional<String> deviceError = Optional.empty();
        List<Device> devices = new ArrayList<>();
        if (rt.isPresent()) {
            Cudart r = rt.get();
            try (Arena a = Arena.ofConfined()) {
                MemorySegment v = a.allocate(JAVA_INT);
                if (r.cudaRuntimeGetVersion(v) == 0) runtimeVersion = v.get(JAVA_INT, 0);
                if (r.cudaDriverGetVersion(v) == 0) driverVersion = v.get(JAVA_INT, 0);
                int rc = r.cudaGetDeviceCount(v);
                if (rc != Cudart.cudaSuccess) {
                    deviceError = Optional.of(CudaStatus.cudaErrorText(r, rc) + " (" + rc + ")");
                    r.cudaGetLastError();       // do not leave the error for the next call to report
                } else {
                    int n = v.get(JAVA_INT, 0);
                    for (int d = 0; d < n; d++) devices.add(device(r, a, d));
                }
            }
        }
        Loaded<Cublas> blas = Loaded.of(() -> Cublas.load(LIBRARIES), "cuBLAS is not installed");
        Loaded<Cudnn> dnn = Loaded.of(() -> Cudnn.load(LIBRARIES), "cuDNN 9 is not installed");
        Optional<byte[]> fatbin = readResource("ser4j_kernels.fatbin");
        String kernelsWhy = fatbin.isPresent() ? "" : "this build of ser4j has no CUDA kernels: "
                + readResource("kernels.status").map(b -> new String(b, StandardCharsets.UTF_8).strip())
                        .orElse("neither the fatbin nor its build status is in the jar (the build did not run native/build.sh)");
        return new Probe(rt, cudart.why(), runtimeVersion, driverVersion, deviceError, List.copyOf(devices), blas.library(),
                blas.why(), dnn.library(), dnn.why(), fatbin, kernelsWhy);
    }

    /** A library, or why it could not be loaded ({@code missing}: the library's absence in words, then the loader's reason). */
    private record Loaded<T>(Optional<T> library, String why) {
        static <T> Loaded<T> of(Supplier<T> load, String missing) {
            try {
                return new Loaded<>(Optional.of(load.get()), "");
            } catch (UnsatisfiedLinkError e) {
                return new Loaded<>(Optional.empty(), missing + ": " + e.getMessage());
            }
        }
    }

    private static Device device(Cudart r, Arena a, int d) {
        MemorySegment v = a.allocate(JAVA_INT);
        int[] attrs = {Cudart.cudaDevAttrComputeCapabilityMajor, Cudart.cudaDevAttrComputeCapabilityMinor,
                Cudart.cudaDevAttrMultiProcessorCount};
        int[] vals = new int[attrs.length];
        for (int i = 0; i < attrs.length; i++) {
            CudaStatus.cuda(r, "cudaDeviceGetAttribute(" + attrs[i] + ", device " + d + ")", r.cudaDeviceGetAttribute(v, attrs[i], d));
            vals[i] = v.get(JAVA_INT, 0);
        }
        long free = -1, total = -1;
        MemorySegment f = a.allocate(JAVA_LONG), t = a.allocate(JAVA_LONG);
        if (r.cudaSetDevice(d) == 0 && r.cudaMemGetInfo(f, t) == 0) {
            free = f.get(JAVA_LONG, 0);
            total = t.get(JAVA_LONG, 0);
        } else {
            r.cudaGetLastError();
        }
        return new Device(d, vals[0], vals[1], vals[2], free, total);
    }

    /** The kernels' build line (kernels.status, written by CMakeLists.txt or native/build.sh). */
    public static String kernelsStatus() {
        return readResource("kernels.status").map(b -> new String(b, StandardCharsets.UTF_8).strip()).orElse("build status unknown");
    }

    /** A resource of this package (the fatbin and its build status, put there by native/build.sh). */
    static Optional<byte[]> readResource(String name) {
        try (InputStream in = CudaRuntime.class.getResourceAsStream(name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("reading the resource dev/ser4j/cuda/" + name, e);
        }
    }

    /** cuBLAS's version as "13.0.0" (cublasGetProperty needs no handle, so no GPU). */
    static String cublasVersion(Cublas blas) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            int[] parts = new int[3];
            int[] props = {Cublas.MAJOR_VERSION, Cublas.MINOR_VERSION, Cublas.PATCH_LEVEL};
            for (int i = 0; i < 3; i++) {
                CudaStatus.cublas(blas, "cublasGetProperty(" + props[i] + ")", blas.cublasGetProperty(props[i], v));
                parts[i] = v.get(JAVA_INT, 0);
            }
            return parts[0] + "." + parts[1] + "." + parts[2];
        }
    }

    /** cuDNN's version as "9.13.0" (encoding MAJOR*10000 + MINOR*100 + PATCH since 9.0, facts sheet C.1). */
    static String cudnnVersion(Cudnn dnn) {
        long v = dnn.cudnnGetVersion();
        return (v / 10000) + "." + (v % 10000) / 100 + "." + v % 100;
    }
}
