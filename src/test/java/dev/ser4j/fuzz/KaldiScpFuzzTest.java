package dev.ser4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ser4j.InputException;
import dev.ser4j.data.XVectors;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;

import static dev.ser4j.fuzz.Property.resultOrInputException;

/**
 * Kaldi script files: any scp lines, over any archive, give finite x-vectors or an InputException. An input is the
 * scp text, a NUL byte, then the bytes of the archive {@code /fuzz/a.ark} (relative paths resolve against
 * {@code /fuzz}); every other archive path does not exist. Without a NUL the input is all scp and the archive empty.
 */
class KaldiScpFuzzTest {
    private static final String NAME = "/fuzz/xvector.scp";
    private static final Path BASE = Path.of("/fuzz"), ARK = Path.of("/fuzz/a.ark");

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void anyLinesGiveXVectorsOrInputException(byte[] data) {
        int nul = indexOf(data, (byte) 0);
        byte[] scp = nul < 0 ? data : Arrays.copyOf(data, nul);
        MemorySegment ark = MemorySegment.ofArray(nul < 0 ? new byte[0] : Arrays.copyOfRange(data, nul + 1, data.length));
        XVectors.Archives archives = (where, path) -> {
            if (!path.equals(ARK)) throw new InputException(where, "refers to " + path + ", which does not exist");
            return ark;
        };
        KaldiArkFuzzTest.checkXVectors(resultOrInputException(data.length,
                () -> XVectors.parseScp(NAME, scp, BASE, archives, KaldiArkFuzzTest.DIM), NAME, ARK.toString()), KaldiArkFuzzTest.DIM);
    }

    static int indexOf(byte[] b, byte c) {
        for (int i = 0; i < b.length; i++) if (b[i] == c) return i;
        return -1;
    }
}
