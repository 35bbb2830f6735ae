package dev.ser4j.bindings.cudart;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One loaded NVIDIA library for the generated header classes: the library found by {@link LibraryFinder}, its
 * sub-libraries (cuDNN 9: a symbol is looked up in the shim first, then in the sub-library its header belongs to,
 * facts sheet C.1) and the libraries preloaded from the same folder so that the library's own {@code dlopen} of
 * them by soname finds them already loaded.
 */
public final class NativeLibrary {
    private final String describe;
    private final SymbolLookup primary;
    private final Map<String, SymbolLookup> sub;

    private NativeLibrary(String describe, SymbolLookup primary, Map<String, SymbolLookup> sub) {
        this.describe = describe;
        this.primary = primary;
        this.sub = sub;
    }

    /**
     * Loads the first of {@code sonames} that {@link LibraryFinder} finds and can load, after the {@code preload}
     * libraries of the same folder (missing ones are skipped), then its {@code subLibraries} (tag to soname).
     *
     * @throws UnsatisfiedLinkError naming every candidate tried and why it failed
     */
    public static NativeLibrary open(Arena arena, List<String> sonames, Map<String, String> subLibraries, List<String> preload) {
        List<String> failures = new ArrayList<>();
        for (String soname : sonames) {
            for (LibraryFinder.Candidate c : LibraryFinder.candidates(soname)) {
                try {
                    // libraries the primary needs or dlopens, from the same folder, before the primary itself
                    for (String dep : LibraryFinder.companions(soname, preload)) c.sibling(dep).ifPresent(p -> tryLoad(arena, p));
                    Map<String, SymbolLookup> sub = new LinkedHashMap<>();
                    for (Map.Entry<String, String> e : subLibraries.entrySet()) {
                        Optional<SymbolLookup> s = c.sibling(e.getValue()).flatMap(p -> tryLoad(arena, p));
                        if (s.isEmpty()) s = tryLoadName(arena, e.getValue());
                        s.ifPresent(l -> sub.put(e.getKey(), l));
                    }
                    SymbolLookup lookup = c.path() == null ? SymbolLookup.libraryLookup(c.name(), arena)
                            : SymbolLookup.libraryLookup(c.path(), arena);
                    return new NativeLibrary(c.describe(), lookup, sub);
                } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
                    failures.add(c.describe() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
                }
            }
        }
        throw new UnsatisfiedLinkError(String.join(" or ", sonames) + " not found: "
                + (failures.isEmpty() ? "no candidate" : "tried " + String.join("; ", failures)) + "; searched "
                + LibraryFinder.searchedDescription());
    }

    private static Optional<SymbolLookup> tryLoad(Arena arena, Path path) {
        try {
            return Optional.of(SymbolLookup.libraryLookup(path, arena));
        } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
            return Optional.empty();
        }
    }

    private static Optional<SymbolLookup> tryLoadName(Arena arena, String name) {
        try {
            return Optional.of(SymbolLookup.libraryLookup(name, arena));
        } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
            return Optional.empty();
        }
    }

    /** Where the library came from, for {@code ./ser4j info} and messages. */
    public String describe() { return describe; }

    /** The symbol from the library, else from the sub-library tagged {@code tag}. */
    public Optional<MemorySegment> find(String name, String tag) {
        Optional<MemorySegment> s = primary.find(name);
        if (s.isEmpty() && tag != null && sub.containsKey(tag)) s = sub.get(tag).find(name);
        return s;
    }

    public boolean has(String name) {
        if (primary.find(name).isPresent()) return true;
        for (SymbolLookup l : sub.values()) if (l.find(name).isPresent()) return true;
        return false;
    }

    /** A downcall handle, or null when the symbol is absent (see {@link #present}). */
    public MethodHandle downcall(String name, String tag, FunctionDescriptor descriptor) {
        return find(name, tag).map(s -> Linker.nativeLinker().downcallHandle(s, descriptor)).orElse(null);
    }

    /** The handle, or an UnsatisfiedLinkError naming the symbol and the library that lacks it. */
    public static MethodHandle present(MethodHandle h, String name, NativeLibrary lib) {
        if (h == null) throw new UnsatisfiedLinkError("symbol " + name + " is not exported by " + lib.describe);
        return h;
    }

    /** Rethrows what a downcall threw: errors and runtime exceptions as they are (invokeExact declares Throwable). */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof Error e) throw e;
        if (t instanceof RuntimeException r) return r;
        return new IllegalStateException("native call failed", t);
    }

    static boolean exists(Path p) {
        return Files.isRegularFile(p);
    }
}
