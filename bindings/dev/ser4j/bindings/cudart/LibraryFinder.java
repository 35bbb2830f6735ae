package dev.ser4j.bindings.cudart;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Where the NVIDIA libraries are looked for, in order:
 * <ol>
 * <li>{@code SER4J_CUDA_LIBS}: folders (or library files), separated by {@code :};</li>
 * <li>{@code LD_LIBRARY_PATH};</li>
 * <li>the bare soname, i.e. the dynamic linker's own search (its cache, {@code /etc/ld.so.conf});</li>
 * <li>the usual toolkit folders: {@code /usr/local/cuda/lib64}, {@code /usr/local/cuda-*}/{lib64,lib} (newest
 *     first), {@code /opt/cuda/lib64}, the distribution's multiarch folder;</li>
 * <li>the {@code nvidia/*}{@code /lib} folders of Python environments holding PyTorch's CUDA wheels
 *     ({@code nvidia/cudnn/lib}, {@code nvidia/cublas/lib}, {@code nvidia/cuda_runtime/lib}, {@code nvidia/cu13/lib}, ...):
 *     the site-packages of {@code VIRTUAL_ENV}, {@code CONDA_PREFIX}, {@code ~/.local}, pyenv versions,
 *     {@code /usr/lib/python3*}, {@code /usr/local/lib/python3*}, {@code /opt/conda} — found by listing folders,
 *     without running Python.</li>
 * </ol>
 */
public final class LibraryFinder {
    private LibraryFinder() {}

    /** A place to load a library from: a file, or (path null) the bare name left to the dynamic linker. */
    public record Candidate(String name, Path path) {
        public String describe() {
            return path == null ? name + " (the system's library search path)" : path.toString();
        }

        /** A library of the same folder, if the file exists. */
        public Optional<Path> sibling(String soname) {
            if (path == null) return Optional.empty();
            Path p = path.resolveSibling(soname);
            return NativeLibrary.exists(p) ? Optional.of(p) : Optional.empty();
        }
    }

    static Function<String, String> env = System::getenv;   // replaceable by tests

    /** Candidates for {@code soname}: existing files in search order, then the bare name; duplicates removed. */
    public static List<Candidate> candidates(String soname) {
        List<Candidate> out = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        List<Path> before = new ArrayList<>(), after = new ArrayList<>();
        before.addAll(split(env.apply("SER4J_CUDA_LIBS")));
        before.addAll(split(env.apply("LD_LIBRARY_PATH")));
        after.addAll(toolkitDirs());
        after.addAll(pythonWheelDirs());
        for (Path d : before) addFile(out, seen, d, soname);
        out.add(new Candidate(soname, null));
        for (Path d : after) addFile(out, seen, d, soname);
        return out;
    }

    /** Preload entries for a soname: those of the same major ({@code .so.N} suffix), or without a major. */
    static List<String> companions(String soname, List<String> preload) {
        String major = soname.substring(soname.indexOf(".so"));
        return preload.stream().filter(p -> !p.matches(".*\\.so\\.\\d+$") || p.endsWith(major)).toList();
    }

    /** One line naming the kinds of places searched, for error messages. */
    public static String searchedDescription() {
        return "SER4J_CUDA_LIBS, LD_LIBRARY_PATH, the system's library path, " + toolkitDirs().size()
                + " CUDA toolkit folders and " + pythonWheelDirs().size() + " Python nvidia/*/lib folders";
    }

    private static void addFile(List<Candidate> out, Set<Path> seen, Path entry, String soname) {
        Path f = Files.isDirectory(entry) ? entry.resolve(soname)
                : entry.getFileName() != null && entry.getFileName().toString().equals(soname) ? entry : null;
        if (f == null || !NativeLibrary.exists(f)) return;
        Path key = f.toAbsolutePath().normalize();
        if (seen.add(key)) out.add(new Candidate(soname, key));
    }

    private static List<Path> split(String pathList) {
        List<Path> out = new ArrayList<>();
        if (pathList == null) return out;
        for (String s : pathList.split(":")) if (!s.isBlank()) out.add(Path.of(s.strip()));
        return out;
    }

    static List<Path> toolkitDirs() {
        List<Path> dirs = new ArrayList<>();
        dirs.add(Path.of("/usr/local/cuda/lib64"));
        dirs.add(Path.of("/usr/local/cuda/lib"));
        for (Path d : glob(Path.of("/usr/local"), "cuda-*")) {
            dirs.add(d.resolve("lib64"));
            dirs.add(d.resolve("lib"));
        }
        dirs.add(Path.of("/opt/cuda/lib64"));
        dirs.add(Path.of("/usr/lib/x86_64-linux-gnu"));
        dirs.add(Path.of("/usr/lib/aarch64-linux-gnu"));
        dirs.add(Path.of("/usr/lib64"));
        return dirs.stream().filter(Files::isDirectory).toList();
    }

    /** Python site-package folders that may hold {@code nvidia/<wheel>/lib}, and those lib folders. */
    static List<Path> pythonWheelDirs() {
        List<Path> sites = new ArrayList<>();
        String home = System.getProperty("user.home");
        for (String prefix : new String[]{env.apply("VIRTUAL_ENV"), env.apply("CONDA_PREFIX")})
            if (prefix != null && !prefix.isBlank()) sites.addAll(sitePackages(Path.of(prefix, "lib")));
        if (home != null) {
            sites.addAll(sitePackages(Path.of(home, ".local", "lib")));
            for (Path v : glob(Path.of(home, ".pyenv", "versions"), "*")) sites.addAll(sitePackages(v.resolve("lib")));
        }
        sites.add(Path.of("/usr/lib/python3/dist-packages"));
        sites.addAll(sitePackages(Path.of("/usr/lib")));
        sites.addAll(sitePackages(Path.of("/usr/local/lib")));
        sites.addAll(sitePackages(Path.of("/opt/conda/lib")));
        List<Path> libs = new ArrayList<>();
        for (Path site : new LinkedHashSet<>(sites))
            for (Path wheel : glob(site.resolve("nvidia"), "*")) {
                Path lib = wheel.resolve("lib");
                if (Files.isDirectory(lib)) libs.add(lib);
            }
        return libs;
    }

    private static List<Path> sitePackages(Path libDir) {
        List<Path> out = new ArrayList<>();
        for (Path py : glob(libDir, "python3*"))
            for (String s : new String[]{"site-packages", "dist-packages"}) {
                Path p = py.resolve(s);
                if (Files.isDirectory(p)) out.add(p);
            }
        return out;
    }

    /** Entries of {@code dir} matching {@code pattern}, newest name first (cuda-13.0 before cuda-12.6). */
    private static List<Path> glob(Path dir, String pattern) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, pattern)) {
            for (Path p : ds) out.add(p);
        } catch (IOException | SecurityException e) {
            return out;     // an unreadable folder holds nothing we can load
        }
        out.sort(Comparator.comparing((Path p) -> p.getFileName().toString(), LibraryFinder::compareVersions).reversed());
        return out;
    }

    /** Orders names by their embedded numbers, so cuda-12.10 sorts after cuda-12.6. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)"), y = b.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = x[i].matches("\\d+") && y[i].matches("\\d+")
                    ? Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i])) : x[i].compareTo(y[i]);
            if (c != 0) return c;
        }
        return Integer.compare(x.length, y.length);
    }

    /** For tests: the environment lookup to use instead of {@link System#getenv(String)}. */
    static void setEnvironment(Map<String, String> vars) {
        env = vars == null ? System::getenv : vars::get;
    }
}
