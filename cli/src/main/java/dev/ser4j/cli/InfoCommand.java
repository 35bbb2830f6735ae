package dev.ser4j.cli;

import dev.ser4j.audio.Mfcc;
import dev.ser4j.cpu.ConvAlgorithm;
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
        out.println("CPU convolution: " + ConvAlgorithm.describe());
        out.println("MFCC:            " + Mfcc.implementation());
        CudaRuntime.Report r = CudaRuntime.report();
        out.println("CUDA runtime:    " + r.runtime());
        if (r.runtimeLoaded()) {
            out.println("NVIDIA driver:   " + r.driver());
            for (String g : r.gpus()) out.println("GPUs:            " + g);
        }
        out.println("cuBLAS:          " + r.cublas());
        out.println("cuDNN:           " + r.cudnn());
        out.println("CUDA kernels:    " + r.kernels());
        out.println("--backend auto:  " + r.whyUnusable().map(w -> "cpu, because " + w).orElse("cuda"));
    }
}
