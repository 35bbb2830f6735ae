package dev.ser4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ser4j.text.WordVectors;

import static dev.ser4j.fuzz.Property.resultOrInputException;

/** word2vec text ({@code count D} header, then GloVe lines), D given as 3: vectors of D values, or an InputException. */
class Word2VecFuzzTest {
    private static final String NAME = "vectors.w2v.txt";

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void anyBytesGiveVectorsOrInputException(byte[] data) {
        GloveFuzzTest.checkVectors(resultOrInputException(data.length, () -> WordVectors.parse(NAME, data, GloveFuzzTest.WORDS, 3), NAME), 3);
    }
}
