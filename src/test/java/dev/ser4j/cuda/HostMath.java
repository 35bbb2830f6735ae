package dev.ser4j.cuda;

import dev.ser4j.bindings.kernels.Kernels;
import org.junit.jupiter.api.Assumptions;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The kernels compiled for the host (native/hostmath.cpp -> target/native/libser4j_hostmath.so), called through FFM
 * with the parameter kinds of {@link Kernels#ENTRIES} — the same table the GPU launchers use. Arrays are copied
 * into native memory before the call and back after it (every pointer is in/out).
 */
@SuppressWarnings("restricted")
final class HostMath {
    private static HostMath instance;
    private static String why;

    private final Map<String, MethodHandle> handles = new HashMap<>();
    private final Map<String, String> kinds = new HashMap<>();

    private HostMath(SymbolLookup lib) {
        for (Kernels.Entry e : Kernels.ENTRIES) {
            MemoryLayout[] args = new MemoryLayout[e.kinds().length()];
            for (int i = 0; i < args.length; i++)
                args[i] = switch (e.kinds().charAt(i)) {
                    case 'i' -> JAVA_INT;
                    case 'l' -> JAVA_LONG;
                    case 'f' -> JAVA_FLOAT;
                    case 'p' -> ADDRESS;
                    default -> throw new IllegalStateException(e.toString());
                };
            MemorySegment sym = lib.find(e.name()).orElseThrow(() -> new AssertionError("host library lacks " + e.name()));
            handles.put(e.name(), Linker.nativeLinker().downcallHandle(sym, FunctionDescriptor.ofVoid(args)));
            kinds.put(e.name(), e.kinds());
        }
    }

    /** The library, or the test is skipped (visibly) saying why it is absent. */
    static synchronized HostMath get() {
        if (instance == null && why == null) {
            String prop = System.getProperty("ser4j.hostmath", "target/native/libser4j_hostmath.so");
            Path p = Path.of(prop).toAbsolutePath();
            if (!Files.isRegularFile(p)) why = "the host build of the kernels' math (" + p + ") was not built: no cmake or C++ compiler at build time";
            else instance = new HostMath(SymbolLookup.libraryLookup(p, Arena.ofShared()));   // loaded for the test JVM's life
        }
        Assumptions.assumeTrue(instance != null, () -> why);
        return instance;
    }

    /** Calls kernel {@code name} on the host; float[]/int[]/double[] (or null) for pointers, Integer/Long/Float for scalars. */
    void call(String name, Object... args) {
        String k = kinds.get(name);
        if (k == null) throw new IllegalArgumentException("no entry " + name);
        if (k.length() != args.length) throw new IllegalArgumentException(name + " takes " + k.length() + " arguments");
        try (Arena a = Arena.ofConfined()) {
            Object[] native_ = new Object[args.length];
            MemorySegment[] segs = new MemorySegment[args.length];
            for (int i = 0; i < args.length; i++) {
                Object v = args[i];
                native_[i] = switch (k.charAt(i)) {
                    case 'i' -> (Integer) v;
                    case 'l' -> (Long) v;
                    case 'f' -> (Float) v;
                    case 'p' -> segs[i] = switch (v) {
                        case null -> MemorySegment.NULL;
                        case float[] f -> f.length == 0 ? a.allocate(16) : a.allocateFrom(JAVA_FLOAT, f);
                        case int[] n -> n.length == 0 ? a.allocate(16) : a.allocateFrom(JAVA_INT, n);
                        case double[] d -> d.length == 0 ? a.allocate(16) : a.allocateFrom(JAVA_DOUBLE, d);
                        default -> throw new IllegalArgumentException("argument " + i + " of " + name + ": " + v);
                    };
                    default -> throw new IllegalStateException();
                };
            }
            handles.get(name).invokeWithArguments(native_);
            for (int i = 0; i < args.length; i++) {
                if (segs[i] == null || segs[i].equals(MemorySegment.NULL)) continue;
                switch (args[i]) {
                    case float[] f -> MemorySegment.copy(segs[i], JAVA_FLOAT, 0, f, 0, f.length);
                    case int[] n -> MemorySegment.copy(segs[i], JAVA_INT, 0, n, 0, n.length);
                    case double[] d -> MemorySegment.copy(segs[i], JAVA_DOUBLE, 0, d, 0, d.length);
                    default -> { }
                }
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(name + " failed", t);
        }
    }
}
