package dev.ser4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ser4j.data.XVectors;
import dev.ser4j.io.SafeTensors;

import static dev.ser4j.fuzz.Property.resultOrInputException;

/**
 * x-vectors in safetensors (a tensor {@code xvectors} [N, D] with {@code ids} in the metadata, or one tensor per
 * utterance): any bytes give finite 4-dimensional x-vectors, or an InputException.
 */
class XVectorSafetensorsFuzzTest {
    private static final String NAME = "xvectors.safetensors";
    private static final int DIM = 4;

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void anyBytesGiveXVectorsOrInputException(byte[] data) {
        KaldiArkFuzzTest.checkXVectors(resultOrInputException(data.length, () -> {
            try (SafeTensors st = SafeTensors.parse(data, NAME)) {
                return XVectors.readSafetensors(st, DIM);
            }
        }, NAME), DIM);
    }
}
