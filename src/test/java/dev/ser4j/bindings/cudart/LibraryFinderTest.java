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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the NVIDIA libraries are looked for, and in which order; loading a real one where it exists. */
class LibraryFinderTest {
    @AfterEach
    void restore() {
        LibraryFinder.setEnvironment(null);
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
