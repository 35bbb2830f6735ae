package dev.ser4j.runtime;

import dev.ser4j.backend.Backend;
import dev.ser4j.core.InputException;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.cuda.CudaBackend;
import dev.ser4j.cuda.CudaRuntime;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses the backend for {@code --backend auto|cpu|cuda}: {@code auto} takes CUDA when it is usable and otherwise
 * the CPU, saying why in one line; {@code cuda} where CUDA is unusable is a user error naming the reason.
 * Nothing CUDA is loaded for {@code cpu}.
 */
public final class Backends {
    private Backends() {}

    /** {@link #select(String, CudaBackend.Options, PrintStream)} with default CUDA options, notes to stderr. */
    public static Backend select(String choice) {
        return select(choice, CudaBackend.Options.defaults(), System.err);
    }

    /**
     * The backend {@code auto}, {@code cpu} or {@code cuda} names here, without opening it: {@code cpu} or
     * {@code cuda}; {@code cuda} where CUDA is unusable is an {@link InputException} naming {@code source} and the reason.
     */
    public static String resolve(String source, String choice) {
        String c = choice == null ? "auto" : choice.strip().toLowerCase(Locale.ROOT);
        return switch (c) {
            case "cpu" -> "cpu";
            case "cuda" -> {
                Optional<String> why = CudaRuntime.whyUnusable();
                if (why.isPresent()) throw new InputException(source, "cuda was asked for, but " + why.get());
                yield "cuda";
            }
            case "auto" -> CudaRuntime.whyUnusable().isEmpty() ? "cuda" : "cpu";
            default -> throw new InputException(source, "'" + choice + "' is not a backend; expected auto, cpu or cuda");
        };
    }

    public static Backend select(String choice, CudaBackend.Options cuda, PrintStream notes) {
        String c = choice == null ? "auto" : choice.strip().toLowerCase(Locale.ROOT);
        return switch (c) {
            case "cpu" -> new CpuBackend();
            case "cuda" -> {
                Optional<String> why = CudaRuntime.whyUnusable();
                if (why.isPresent()) throw new InputException("--backend", "cuda was asked for, but " + why.get());
                yield new CudaBackend(cuda);
            }
            case "auto" -> {
                Optional<String> why = CudaRuntime.whyUnusable();
                if (why.isEmpty()) yield new CudaBackend(cuda);
                notes.println("ser4j: using the CPU backend: " + why.get());
                yield new CpuBackend();
            }
            default -> throw new InputException("--backend", "'" + choice + "' is not a backend; expected auto, cpu or cuda");
        };
    }
}
