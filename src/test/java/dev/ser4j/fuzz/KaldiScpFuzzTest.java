package dev.ser4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ser4j.core.InputException;
import dev.ser4j.data.XVectors;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;

import static dev.ser4j.fuzz.Property.resultOrInputException;

/**
 * Kaldi script files: any scp lines, over any archive, give finite x-vectors or an InputException. An input is the
 * scp text, two NUL bytes, then the bytes of the archive {@code /fuzz/a.ark} (relative paths resolve against
 * {@code /fuzz}); every other archive path does not exist. Without two NULs the input is all scp and the archive
 * empty. (One NUL can be part of the scp: a path with a NUL is invalid.)
 */
class KaldiScpFuzzTest {
    private static final String NAME = "/fuzz/xvector.scp";
    private static final Path BASE = Path.of("/fuzz"), ARK = Path.of("/fuzz/a.ark");

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void anyLinesGiveXVectorsOrInputException(byte[] data) {
        int split = split(data);
        byte[] scp = split < 0 ? data : Arrays.copyOf(data, split);
        MemorySegment ark = MemorySegment.ofArray(split < 0 ? new byte[0] : Arrays.copyOfRange(data, split + 2, data.length));
        XVectors.Archives archives = (where, path) -> {
            if (!path.equals(ARK)) throw new InputException(where, "refers to " + path + ", which does not exist");
            return ark;
        };
        KaldiArkFuzzTest.checkXVectors(resultOrInputException(data.length,
                () -> XVectors.parseScp(NAME, scp, BASE, archives, KaldiArkFuzzTest.DIM), NAME, ARK.toString()), KaldiArkFuzzTest.DIM);
    }

    /** Where the first two NUL bytes in a row are, or -1. */
    static int split(byte[] b) {
        for (int i = 0; i + 1 < b.length; i++) if (b[i] == 0 && b[i + 1] == 0) return i;
        return -1;
    }
}
