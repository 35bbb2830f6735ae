package dev.ser4j.bindings.cudart;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Where the NVIDIA libraries are looked for, in order:
 * <ol>
 * <li>{@code SER4J_CUDA_LIBS}: folders (or library files), separated by {@code :};</li>
 * <li>{@code LD_LIBRARY_PATH};</li>
 * <li>the bare soname, i.e. the dynamic linker's own search (its cache, {@code /etc/ld.so.conf});</li>
 * <li>the usual toolkit folders: {@code /usr/local/cuda/lib64}, {@code /usr/local/cuda-*}/{lib64,lib} (newest
 *     first), {@code /opt/cuda/lib64}, the distribution's multiarch folder;</li>
 * <li>the {@code nvidia/*}{@code /lib} folders of Python environments holding PyTorch's CUDA wheels: CUDA 13 wheels
 *     put cuBLAS, the runtime and NVRTC in {@code nvidia/cu13/lib} and cuDNN in {@code nvidia/cudnn/lib}; CUDA 12
 *     wheels use {@code nvidia/cublas/lib}, {@code nvidia/cuda_runtime/lib}, ... Both are the one pattern
 *     {@code <site-packages>/nvidia/*}{@code /lib}, over the {@code lib/python3*}{@code /{site,dist}-packages} of these
 *     prefixes (found by listing folders, without running Python): {@code VIRTUAL_ENV}, {@code CONDA_PREFIX}, the
 *     folder above each {@code bin/} on {@code PATH} that holds a {@code python3} (a virtual environment's, e.g.
 *     {@code /opt/torch/.venv}), {@code ~/.local}, {@code ~/.pyenv/versions/*}, {@code /opt/*}{@code /.venv},
 *     {@code /opt/*}{@code /venv}, {@code /opt/*} (e.g. {@code /opt/conda}), {@code /usr/local} and {@code /usr} (Debian's
 *     {@code /usr/lib/python3/dist-packages} included);</li>
 * <li>only when none of those holds the library: the site-packages that {@code python3} on {@code PATH} itself
 *     reports ({@code site.getsitepackages()} and the user site), asked once per process.</li>
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
    static Path root = Path.of("/");                          // the file system's root; a fake tree in tests
    static Supplier<List<Path>> pythonReported = LibraryFinder::askPython;   // replaceable by tests
    private static List<Path> reported;                       // what python3 answered, once per process

    /**
     * Candidates for {@code soname}: existing files in search order, then the bare name; duplicates removed. When no
     * listed folder holds the file, the site-packages python3 reports are searched too (after the bare name).
     */
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
        if (out.size() == 1)
            for (Path d : wheelLibs(pythonReportedSites())) addFile(out, seen, d, soname);
        return out;
    }

    /** Preload entries for a soname: those of the same major ({@code .so.N} suffix), or without a major. */
    static List<String> companions(String soname, List<String> preload) {
        String major = soname.substring(soname.indexOf(".so"));
        return preload.stream().filter(p -> !p.matches(".*\\.so\\.\\d+$") || p.endsWith(major)).toList();
    }

    /**
     * The places searched, in words and with the folders found, for error messages and {@code ./ser4j info}: what a
     * user needs to put the library where it is found, or to point {@code SER4J_CUDA_LIBS} at it.
     */
    public static String searchedDescription() {
        List<Path> wheels = pythonWheelDirs();
        List<Path> asked = reported == null ? List.of() : wheelLibs(reported);
        return "SER4J_CUDA_LIBS (" + shown(env.apply("SER4J_CUDA_LIBS")) + "), LD_LIBRARY_PATH (" + shown(env.apply("LD_LIBRARY_PATH"))
                + "), the system's library path, the CUDA toolkit folders (/usr/local/cuda/lib64, /usr/local/cuda-*/lib64 and lib, "
                + "/opt/cuda/lib64, /usr/lib/<multiarch>: " + toolkitDirs().size() + " exist) and the nvidia/*/lib folders of "
                + "Python site-packages (nvidia/cu13/lib, nvidia/cudnn/lib, ...; under VIRTUAL_ENV, CONDA_PREFIX, python3 on PATH, "
                + "~/.local, ~/.pyenv/versions/*, /opt/*/.venv, /opt/*/venv, /opt/*, /usr/local, /usr, and the site-packages "
                + "python3 reports): " + (wheels.isEmpty() && asked.isEmpty() ? "none found"
                : new LinkedHashSet<>(concat(wheels, asked)).stream().map(Path::toString).collect(Collectors.joining(", ")));
    }

    private static String shown(String v) {
        return v == null || v.isBlank() ? "unset" : v;
    }

    private static List<Path> concat(List<Path> a, List<Path> b) {
        List<Path> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
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

    private static Path under(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    static List<Path> toolkitDirs() {
        List<Path> dirs = new ArrayList<>();
        dirs.add(under("/usr/local/cuda/lib64"));
        dirs.add(under("/usr/local/cuda/lib"));
        for (Path d : glob(under("/usr/local"), "cuda-*")) {
            dirs.add(d.resolve("lib64"));
            dirs.add(d.resolve("lib"));
        }
        dirs.add(under("/opt/cuda/lib64"));
        dirs.add(under("/usr/lib/x86_64-linux-gnu"));
        dirs.add(under("/usr/lib/aarch64-linux-gnu"));
        dirs.add(under("/usr/lib64"));
        return dirs.stream().filter(Files::isDirectory).toList();
    }

    /**
     * Python installation prefixes, each holding {@code lib/python3.X/site-packages} (or {@code dist-packages}):
     * environment variables first, then the interpreters on {@code PATH}, then the usual places.
     */
    static List<Path> pythonPrefixes() {
        List<Path> prefixes = new ArrayList<>();
        for (String v : new String[]{env.apply("VIRTUAL_ENV"), env.apply("CONDA_PREFIX")})
            if (v != null && !v.isBlank()) prefixes.add(Path.of(v));
        // bin/python3 on PATH: the folder above bin is sys.prefix (a virtual environment's bin/python3 is a link to
        // the base interpreter, so the link is not followed)
        for (Path bin : split(env.apply("PATH")))
            if (bin.getFileName() != null && bin.getFileName().toString().equals("bin") && bin.getParent() != null
                    && (Files.exists(bin.resolve("python3")) || Files.exists(bin.resolve("python"))))
                prefixes.add(bin.getParent());
        String home = System.getProperty("user.home");
        if (home != null) {
            prefixes.add(Path.of(home, ".local"));
            prefixes.addAll(glob(Path.of(home, ".pyenv", "versions"), "*"));
        }
        for (Path opt : glob(under("/opt"), "*")) {
            prefixes.add(opt.resolve(".venv"));
            prefixes.add(opt.resolve("venv"));
            prefixes.add(opt);
        }
        prefixes.add(under("/usr/local"));
        prefixes.add(under("/usr"));
        return prefixes;
    }

    /** The {@code nvidia/<wheel>/lib} folders of every site-packages found by listing the usual places. */
    static List<Path> pythonWheelDirs() {
        List<Path> sites = new ArrayList<>();
        for (Path prefix : pythonPrefixes()) sites.addAll(sitePackages(prefix.resolve("lib")));   // /usr: Debian's python3/dist-packages too
        return wheelLibs(sites);
    }

    /** {@code <site>/nvidia/*}{@code /lib} for each site that has them ({@code nvidia/cu13/lib}, {@code nvidia/cudnn/lib}, ...). */
    static List<Path> wheelLibs(List<Path> sites) {
        List<Path> libs = new ArrayList<>();
        for (Path site : new LinkedHashSet<>(sites))
            for (Path wheel : glob(site.resolve("nvidia"), "*")) {
                Path lib = wheel.resolve("lib");
                if (Files.isDirectory(lib) && !libs.contains(lib)) libs.add(lib);
            }
        return libs;
    }

    /** The site-packages python3 reports, asked once per process (an empty list where there is no python3). */
    static synchronized List<Path> pythonReportedSites() {
        if (reported == null) reported = pythonReported.get();
        return reported;
    }

    /**
     * Runs {@code python3 -c 'import site; ...'} (five seconds at most) and returns the folders it prints; nothing when
     * python3 is missing, fails or hangs.
     */
    private static List<Path> askPython() {
        List<Path> out = new ArrayList<>();
        Process p = null;
        try {
            p = new ProcessBuilder("python3", "-c",
                    "import site\nfor s in site.getsitepackages() + [site.getusersitepackages()]: print(s)")
                    .redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) return out;
            for (String line : text.split("\n")) if (!line.isBlank()) out.add(Path.of(line.strip()));
        } catch (IOException | InvalidPathException e) {
            return out;         // no python3 here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (p != null) p.destroy();
        }
        return out;
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

    /**
     * For tests: a fake file system root for the fixed places ({@code /usr/local/cuda}, {@code /opt/*}, ...) and what
     * python3 would report; null restores the real ones (and forgets python3's earlier answer).
     */
    static synchronized void setRoot(Path fakeRoot, Supplier<List<Path>> python) {
        root = fakeRoot == null ? Path.of("/") : fakeRoot;
        pythonReported = python == null ? LibraryFinder::askPython : python;
        reported = null;
    }
}
