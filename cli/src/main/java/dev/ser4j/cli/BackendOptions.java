package dev.ser4j.cli;

import dev.ser4j.backend.Backend;
import dev.ser4j.cuda.CudaBackend;
import dev.ser4j.runtime.Backends;
import picocli.CommandLine.Option;

/** {@code --backend auto|cpu|cuda} and {@code --allow-tf32}, for every command that computes with a model. */
public final class BackendOptions {
    @Option(names = "--backend", paramLabel = "auto|cpu|cuda", defaultValue = "auto",
            description = "Where to compute: auto (CUDA when usable, else the CPU, saying why), cpu or cuda (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--allow-tf32", description = "On CUDA, let cuBLAS and cuDNN use TF32 tensor cores for float math (off by default).")
    boolean allowTf32;

    /**
     * Checks, before any work, that the backend asked for can be used here: {@code cuda} where CUDA is unusable, or a
     * name that is no backend, is a user error (exit 2) naming the reason. Loads nothing for {@code cpu}.
     */
    void check() {
        Backends.resolve("--backend", backend);
    }

    /** The chosen backend; a user error (exit 2) when cuda is asked for and unusable. */
    Backend open() {
        return Backends.select(backend, new CudaBackend.Options(0, allowTf32), System.err);
    }
}
