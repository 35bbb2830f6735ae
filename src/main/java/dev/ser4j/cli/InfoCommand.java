package dev.ser4j.cli;

import dev.ser4j.audio.Mfcc;
import dev.ser4j.bindings.cudnn.Cudnn;
import dev.ser4j.cpu.Sgemm;
import dev.ser4j.cuda.CudaRuntime;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * {@code ./ser4j info}: what this machine offers ser4j — Java, the CPU's matrix products, and the CUDA stack
 * (runtime, driver, devices, cuBLAS, cuDNN, the kernels of this build), each with its version or why it is missing,
 * and which backend {@code --backend auto} would take.
 */
@Command(name = "info", description = "Show the Java runtime, the CPU sgemm and the CUDA runtime, driver, GPUs, cuBLAS and cuDNN.")
public final class InfoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        print(System.out);
        return 0;
    }

    static void print(PrintStream out) {
        out.println("Java:            " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")");
        out.println("CPU sgemm:       " + Sgemm.describe());
        out.println("MFCC:            " + Mfcc.implementation());
        CudaRuntime.Probe p = CudaRuntime.probe();
        if (p.cudart().isEmpty()) {
            out.println("CUDA runtime:    missing: " + p.cudartWhy());
        } else {
            out.println("CUDA runtime:    " + CudaRuntime.version(p.runtimeVersion()) + " (" + p.cudart().get().library() + ")");
            out.println("NVIDIA driver:   " + (p.driverVersion() == 0 ? "none installed (cudaDriverGetVersion reports 0)"
                    : "supports CUDA " + CudaRuntime.version(p.driverVersion())));
            if (p.deviceError().isPresent()) out.println("GPUs:            none usable: cudaGetDeviceCount failed with " + p.deviceError().get());
            else if (p.devices().isEmpty()) out.println("GPUs:            none");
            else for (CudaRuntime.Device d : p.devices()) out.println("GPUs:            " + d);
        }
        out.println("cuBLAS:          " + p.cublas().map(b -> CudaRuntime.cublasVersion(b) + " (" + b.library() + ")")
                .orElse("missing: " + p.cublasWhy()));
        out.println("cuDNN:           " + p.cudnn().map(d -> CudaRuntime.cudnnVersion(d) + " for CUDA "
                + CudaRuntime.version((int) d.cudnnGetCudartVersion()) + " (" + d.library() + ")" + subLibraries(d))
                .orElse("missing: " + p.cudnnWhy()));
        out.println("CUDA kernels:    " + (p.fatbin().isPresent() ? p.fatbin().get().length + "-byte fatbin, "
                + CudaRuntime.kernelsStatus() : "missing: " + p.kernelsWhy()));
        out.println("--backend auto:  " + p.whyUnusable().map(w -> "cpu, because " + w).orElse("cuda"));
    }

    private static String subLibraries(Cudnn d) {
        return d.has("cudnnCnnVersionCheck") ? "" : "; its convolution library (libcudnn_cnn.so.9) is missing";
    }

}
