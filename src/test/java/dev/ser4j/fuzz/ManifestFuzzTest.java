package dev.ser4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ser4j.core.Labels;
import dev.ser4j.data.Manifest;

import java.util.List;

import static dev.ser4j.fuzz.Property.check;
import static dev.ser4j.fuzz.Property.resultOrInputException;

/**
 * Manifests, TSV and CSV: any bytes give rows with a path and, where there is a label column, a label that is an
 * emotion (read as {@link Manifest#read} reads it before any file is looked at), or an InputException.
 */
class ManifestFuzzTest {
    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void anyTsvGivesRowsOrInputException(byte[] data) {
        rows("manifest.tsv", data, Manifest.Format.TSV);
    }

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void anyCsvGivesRowsOrInputException(byte[] data) {
        rows("manifest.csv", data, Manifest.Format.CSV);
    }

    private static void rows(String name, byte[] data, Manifest.Format format) {
        resultOrInputException(data.length, () -> {
            List<Manifest.Row> rows = Manifest.parse(name, data, format);
            for (Manifest.Row r : rows) {
                check(r.where().startsWith(name + ":"), r.where());
                check(!r.path().isEmpty() && r.path().equals(r.path().strip()), "path '" + r.path() + "'");
                if (r.label() != null) Labels.name(r.where(), r.label());
            }
            return rows;
        }, name);
    }
}
