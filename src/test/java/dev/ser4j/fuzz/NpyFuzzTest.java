package dev.ser4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ser4j.data.XVectors;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static dev.ser4j.fuzz.Property.resultOrInputException;

/**
 * numpy x-vectors: any {@code .ids} text and {@code .npy} bytes give finite 2-dimensional x-vectors, or an
 * InputException. An input is the .ids text, two NUL bytes, then the .npy bytes (without two NULs in a row, the
 * ids are empty).
 */
class NpyFuzzTest {
    private static final String IDS = "xvectors.ids", NPY = "xvectors.npy";
    private static final int DIM = 2;

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void anyIdsAndArrayGiveXVectorsOrInputException(byte[] data) {
        int split = KaldiScpFuzzTest.split(data);
        byte[] ids = split < 0 ? new byte[0] : Arrays.copyOf(data, split);
        MemorySegment npy = MemorySegment.ofArray(split < 0 ? data : Arrays.copyOfRange(data, split + 2, data.length));
        KaldiArkFuzzTest.checkXVectors(resultOrInputException(data.length,
                () -> XVectors.parseNpy(NPY, npy, XVectors.parseIds(IDS, ids), DIM), IDS, NPY), DIM);
    }
}
