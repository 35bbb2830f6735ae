package dev.ser4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ser4j.data.FoldPlan;

import static dev.ser4j.fuzz.Property.check;
import static dev.ser4j.fuzz.Property.resultOrInputException;

/** Fold files ({@code --folds FILE}: {@code KEY<TAB>FOLD} lines, comments): any bytes give a plan, or an InputException. */
class FoldPlanFuzzTest {
    private static final String NAME = "folds.tsv";

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void anyBytesGiveAPlanOrInputException(byte[] data) {
        FoldPlan p = resultOrInputException(data.length, () -> FoldPlan.parse(NAME, data), NAME);
        if (p == null) return;
        check(p.source().equals(NAME), "source " + p.source());
        check(!p.folds().isEmpty(), "a plan without keys");
        p.folds().forEach((key, fold) -> {
            check(!key.isEmpty() && noWhitespace(key), "key '" + key + "'");
            check(!fold.isEmpty() && noWhitespace(fold), "fold '" + fold + "' of '" + key + "'");
            check(!key.startsWith("#"), "a comment read as key '" + key + "'");
            check(fold.equals(p.foldOf(key, "", "")), "foldOf('" + key + "')");
        });
    }

    private static boolean noWhitespace(String s) {
        return s.codePoints().noneMatch(Character::isWhitespace);
    }
}
