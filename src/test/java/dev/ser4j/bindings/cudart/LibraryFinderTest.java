package dev.ser4j.bindings.cudart;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the NVIDIA libraries are looked for, and in which order (on fake folder trees: the GPU machines' Python
 * environment with PyTorch's CUDA 13 wheels, CUDA 12 wheels, a virtual environment on PATH); loading a real one where
 * it exists.
 */
class LibraryFinderTest {
    @AfterEach
    void restore() {
        LibraryFinder.setEnvironment(null);
        LibraryFinder.setRoot(null, null);
    }

    private static Path touch(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        return Files.writeString(p, "not a library");
    }

    @Test
    void overrideThenLdLibraryPathThenSystemThenPythonWheels(@TempDir Path tmp) throws IOException {
        Path override = touch(tmp.resolve("override/libcudnn.so.9"));
        Path ld = touch(tmp.resolve("ld/libcudnn.so.9"));
        Path venv = tmp.resolve("venv");
        Path wheel = touch(venv.resolve("lib/python3.12/site-packages/nvidia/cudnn/lib/libcudnn.so.9"));
        touch(venv.resolve("lib/python3.12/site-packages/nvidia/cublas/lib/libcublas.so.13"));
        LibraryFinder.setEnvironment(Map.of("SER4J_CUDA_LIBS", override.getParent() + ":" + tmp.resolve("missing"),
                "LD_LIBRARY_PATH", ld.getParent().toString(), "VIRTUAL_ENV", venv.toString()));
        List<LibraryFinder.Candidate> c = LibraryFinder.candidates("libcudnn.so.9");
        assertEquals(override.toAbsolutePath(), c.get(0).path());
        assertEquals(ld.toAbsolutePath(), c.get(1).path());
        assertEquals(null, c.get(2).path(), "then the dynamic linker's own search");
        assertTrue(c.stream().anyMatch(x -> wheel.toAbsolutePath().equals(x.path())), "the Python wheel folder: " + c);
        assertTrue(c.indexOf(c.stream().filter(x -> wheel.toAbsolutePath().equals(x.path())).findFirst().orElseThrow()) > 2);
        assertTrue(c.get(0).sibling("libcudnn_ops.so.9").isEmpty());
        assertTrue(LibraryFinder.pythonWheelDirs().contains(wheel.getParent()));
    }

    /** The GPU machines' layout: PyTorch's CUDA 13 wheels in /opt/torch/.venv, found by listing, Python not run. */
    @Test
    void cuda13WheelsOfAVirtualEnvironmentUnderOptAreFound(@TempDir Path tmp) throws IOException {
        Path site = tmp.resolve("opt/torch/.venv/lib/python3.12/site-packages");
        Path cublas = touch(site.resolve("nvidia/cu13/lib/libcublas.so.13"));
        touch(site.resolve("nvidia/cu13/lib/libcublasLt.so.13"));
        Path cudnn = touch(site.resolve("nvidia/cudnn/lib/libcudnn.so.9"));
        Path cudart = touch(site.resolve("nvidia/cu13/lib/libcudart.so.13"));
        AtomicInteger asked = new AtomicInteger();
        LibraryFinder.setEnvironment(Map.of());
        LibraryFinder.setRoot(tmp, () -> {
            asked.incrementAndGet();
            return List.of();
        });
        assertEquals(Set.of(cublas.getParent(), cudnn.getParent()), Set.copyOf(LibraryFinder.pythonWheelDirs()));
        for (Path lib : List.of(cublas, cudnn, cudart)) {
            List<LibraryFinder.Candidate> c = LibraryFinder.candidates(lib.getFileName().toString());
            assertEquals(null, c.get(0).path(), "the dynamic linker's own search comes first here: " + c);
            assertEquals(lib.toAbsolutePath(), c.get(1).path());
        }
        assertTrue(LibraryFinder.candidates("libcublas.so.13").get(1).sibling("libcublasLt.so.13").isPresent(),
                "cuBLAS's own library is preloaded from the same folder");
        assertEquals(0, asked.get(), "python3 is not run when a listed folder holds the library");
    }

    @Test
    void cuda12WheelsKeepOneFolderPerLibraryUnderAnyPrefix(@TempDir Path tmp) throws IOException {
        Path local = touch(tmp.resolve("usr/local/lib/python3.11/dist-packages/nvidia/cublas/lib/libcublas.so.12"));
        Path conda = touch(tmp.resolve("opt/conda/lib/python3.10/site-packages/nvidia/cudnn/lib/libcudnn.so.9"));
        Path venv = touch(tmp.resolve("opt/app/venv/lib/python3.12/site-packages/nvidia/cuda_runtime/lib/libcudart.so.12"));
        LibraryFinder.setEnvironment(Map.of());
        LibraryFinder.setRoot(tmp, List::of);
        List<Path> dirs = LibraryFinder.pythonWheelDirs();
        for (Path lib : List.of(local, conda, venv)) assertTrue(dirs.contains(lib.getParent()), lib + " not in " + dirs);
        assertEquals(local.toAbsolutePath(), LibraryFinder.candidates("libcublas.so.12").get(1).path());
    }

    /** A virtual environment's bin/python3 is a link to the base interpreter: its prefix is the folder above bin. */
    @Test
    void thePython3OnPathGivesItsEnvironment(@TempDir Path tmp) throws IOException {
        Path env = tmp.resolve("somewhere/env");
        touch(env.resolve("bin/python3"));
        Path cudnn = touch(env.resolve("lib/python3.12/site-packages/nvidia/cudnn/lib/libcudnn.so.9"));
        LibraryFinder.setEnvironment(Map.of("PATH", tmp.resolve("nothing/bin") + ":" + env.resolve("bin")));
        LibraryFinder.setRoot(tmp, List::of);
        assertTrue(LibraryFinder.pythonPrefixes().contains(env), LibraryFinder.pythonPrefixes().toString());
        assertFalse(LibraryFinder.pythonPrefixes().contains(tmp.resolve("nothing")), "a PATH folder without python3 is no prefix");
        assertEquals(cudnn.toAbsolutePath(), LibraryFinder.candidates("libcudnn.so.9").get(1).path());
    }

    @Test
    void python3IsAskedOnceAndOnlyWhenNoListedFolderHasTheLibrary(@TempDir Path tmp) throws IOException {
        Path odd = tmp.resolve("odd/place/site-packages");
        Path cublas = touch(odd.resolve("nvidia/cu13/lib/libcublas.so.13"));
        AtomicInteger asked = new AtomicInteger();
        LibraryFinder.setEnvironment(Map.of());
        LibraryFinder.setRoot(tmp.resolve("empty-root"), () -> {
            asked.incrementAndGet();
            return List.of(odd, tmp.resolve("missing"));
        });
        List<LibraryFinder.Candidate> c = LibraryFinder.candidates("libcublas.so.13");
        assertEquals(2, c.size(), c.toString());
        assertEquals(null, c.get(0).path());
        assertEquals(cublas.toAbsolutePath(), c.get(1).path());
        LibraryFinder.candidates("libcudnn.so.9");
        assertEquals(1, asked.get(), "python3's answer is kept for the process");
        assertTrue(LibraryFinder.searchedDescription().contains(cublas.getParent().toString()), LibraryFinder.searchedDescription());
    }

    @Test
    void theSearchDescriptionNamesThePlacesAndTheFoldersFound(@TempDir Path tmp) throws IOException {
        Path lib = touch(tmp.resolve("opt/torch/.venv/lib/python3.12/site-packages/nvidia/cu13/lib/libcublas.so.13"));
        LibraryFinder.setEnvironment(Map.of("LD_LIBRARY_PATH", "/x/lib"));
        LibraryFinder.setRoot(tmp, List::of);
        String d = LibraryFinder.searchedDescription();
        for (String part : new String[]{"SER4J_CUDA_LIBS (unset)", "LD_LIBRARY_PATH (/x/lib)", "/usr/local/cuda/lib64", "/opt/*/.venv",
                "nvidia/cu13/lib", "python3 on PATH", lib.getParent().toString()})
            assertTrue(d.contains(part), "'" + part + "' missing from: " + d);
        LibraryFinder.setRoot(tmp.resolve("empty"), List::of);
        assertTrue(LibraryFinder.searchedDescription().endsWith("none found"), LibraryFinder.searchedDescription());
    }

    @Test
    void preloadsAreOfTheSameMajor() {
        List<String> pre = List.of("libcublasLt.so.13", "libcublasLt.so.12", "libz.so");
        assertEquals(List.of("libcublasLt.so.13", "libz.so"), LibraryFinder.companions("libcublas.so.13", pre));
        assertEquals(List.of("libcublasLt.so.12", "libz.so"), LibraryFinder.companions("libcublas.so.12", pre));
    }

    @Test
    void newerToolkitsSortFirst() {
        assertTrue(LibraryFinder.compareVersions("cuda-12.10", "cuda-12.6") > 0);
        assertTrue(LibraryFinder.compareVersions("cuda-13.0", "cuda-12.9") > 0);
    }

    @Test
    void aMissingLibraryNamesWhatWasTried(@TempDir Path tmp) throws IOException {
        Path fake = touch(tmp.resolve("libser4j_absent.so.1"));
        LibraryFinder.setEnvironment(Map.of("SER4J_CUDA_LIBS", tmp.toString()));
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                () -> NativeLibrary.open(Arena.ofAuto(), List.of("libser4j_absent.so.1"), Map.of(), List.of()));
        assertTrue(e.getMessage().contains(fake.toAbsolutePath().toString()) && e.getMessage().contains("SER4J_CUDA_LIBS"), e.getMessage());
    }

    @Test
    void loadsTheCudaRuntimeFromAFolderGivenInSer4jCudaLibs() {
        Path dir = Path.of("/usr/local/cuda-13.0/lib");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("libcudart.so.13")), "no CUDA 13 runtime in " + dir);
        LibraryFinder.setEnvironment(Map.of("SER4J_CUDA_LIBS", dir.toString()));
        Cudart rt = Cudart.load(Arena.ofAuto());
        assertEquals(dir.resolve("libcudart.so.13").toString(), rt.library());
        try (Arena a = Arena.ofConfined()) {
            var v = a.allocate(java.lang.foreign.ValueLayout.JAVA_INT);
            assertEquals(0, rt.cudaRuntimeGetVersion(v));
            assertTrue(v.get(java.lang.foreign.ValueLayout.JAVA_INT, 0) >= 12000);
        }
        assertTrue(rt.has("cudaLibraryLoadData") && rt.has("cudaLaunchKernel"));
    }
}
