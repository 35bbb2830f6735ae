package dev.ser4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ser4j.data.XVectors;

import java.lang.foreign.MemorySegment;

import static dev.ser4j.fuzz.Property.resultOrInputException;

/** Kaldi archives, binary and text entries mixed: any bytes give finite 3-dimensional x-vectors, or an InputException. */
class KaldiArkFuzzTest {
    private static final String NAME = "xvector.ark";
    static final int DIM = 3;

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void anyBytesGiveXVectorsOrInputException(byte[] data) {
        checkXVectors(resultOrInputException(data.length, () -> XVectors.parseArk(NAME, MemorySegment.ofArray(data), DIM), NAME), DIM);
    }

    /** At least one x-vector; every one of them has {@code dim} finite values. */
    static void checkXVectors(XVectors x, int dim) {
        if (x == null) return;
        Property.check(x.size() >= 1 && x.dim() == dim, x.size() + " x-vectors of dimension " + x.dim());
        for (String id : x.ids()) {
            float[] v = x.get(id, XVectors.Missing.ERROR);
            Property.check(v.length == dim, "'" + id + "' has " + v.length + " values");
            for (float f : v) Property.check(Float.isFinite(f), "'" + id + "' holds " + f);
        }
    }
}
