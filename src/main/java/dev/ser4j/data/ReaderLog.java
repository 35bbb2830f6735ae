package dev.ser4j.data;

import dev.ser4j.core.InputException;

import java.util.ArrayList;
import java.util.List;

/** Collects what a reader skipped or warned about; in strict mode a skip is an {@link InputException} instead. */
final class ReaderLog {
    private final boolean strict;
    final List<Dataset.Problem> skipped = new ArrayList<>();
    final List<Dataset.Problem> warnings = new ArrayList<>();

    ReaderLog(boolean strict) {
        this.strict = strict;
    }

    void skip(String input, String reason) {
        if (strict) throw new InputException(input, reason + " (fatal with --strict)");
        skipped.add(new Dataset.Problem(input, reason));
    }

    void warn(String input, String reason) {
        warnings.add(new Dataset.Problem(input, reason));
    }
}
