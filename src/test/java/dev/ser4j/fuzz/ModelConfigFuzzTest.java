package dev.ser4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.model.ParamLayout;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.ser4j.fuzz.Property.check;
import static dev.ser4j.fuzz.Property.resultOrInputException;

/**
 * A checkpoint's model configuration ({@code __metadata__} strings): any metadata gives a configuration that a
 * model can be laid out from, whose outputs are the four emotions, and that writes back as itself, or an
 * InputException. An input is the metadata as
 * {@code key=value} lines (split at the first {@code =}; a line without one is a key with an empty value).
 */
class ModelConfigFuzzTest {
    private static final String NAME = "model.safetensors";

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void anyMetadataGivesConfigurationOrInputException(byte[] data) {
        Map<String, String> meta = new LinkedHashMap<>();
        for (String line : new String(data, StandardCharsets.UTF_8).split("\n", -1)) {
            int eq = line.indexOf('=');
            meta.put(eq < 0 ? line : line.substring(0, eq), eq < 0 ? "" : line.substring(eq + 1));
        }
        ModelConfig c = resultOrInputException(data.length, () -> ModelConfig.fromMetadata(NAME, meta), NAME);
        if (c == null) return;
        check(c.dropout() >= 0 && c.dropout() < 1, "dropout " + c.dropout());
        check(c.classes() == c.labels().size() && c.classes() >= 2, c.classes() + " classes for the labels " + c.labels());
        check(ModelConfig.fromMetadata(NAME, c.toMetadata()).equals(c), "the configuration does not read back as itself");
        ParamLayout layout = new ParamLayout(c);
        for (ParamLayout.Param p : layout.all()) check(p.size() > 0, p.name() + " has shape " + p.shapeString());
    }
}
