package dev.ser4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ser4j.text.WordVectors;

import java.util.Set;

import static dev.ser4j.fuzz.Property.check;
import static dev.ser4j.fuzz.Property.resultOrInputException;

/** GloVe text ({@code word v1 ... vD} lines, D detected): any bytes give finite D-vectors, or an InputException. */
class GloveFuzzTest {
    private static final String NAME = "glove.txt";
    /** Lower-case as the vocabulary is; "at x.com" has a space, as some GloVe 840B tokens do. */
    static final Set<String> WORDS = Set.of("the", "hello", "at x.com", "n't", "été", "2");

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void anyBytesGiveVectorsOrInputException(byte[] data) {
        checkVectors(resultOrInputException(data.length, () -> WordVectors.parse(NAME, data, WORDS, 0), NAME), 0);
    }

    /** Every found word has a finite vector of the file's dimension ({@code dim} when it was given). */
    static void checkVectors(WordVectors v, int dim) {
        if (v == null) return;
        check(v.dim() >= 1 && (dim == 0 || v.dim() == dim), "dimension " + v.dim());
        check(v.size() <= WORDS.size(), v.size() + " words found");
        for (String w : WORDS) {
            float[] x = v.vector(w);
            if (x == null) continue;
            check(x.length == v.dim(), "'" + w + "' has " + x.length + " values");
            for (float f : x) check(Float.isFinite(f), "'" + w + "' holds " + f);
        }
    }
}
