package dev.ser4j.spark;

import dev.ser4j.backend.AdamHyper;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.io.Progress;
import dev.ser4j.model.Example;
import dev.ser4j.train.Augmentation;
import dev.ser4j.train.CrossValidation;
import dev.ser4j.train.Trainer;
import dev.ser4j.train.TrainingRun;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** What a cross-validation's tasks receive is what the driver has: examples and settings survive Java serialisation. */
class SharedDataTest {
    @Test
    void examplesAndSettingsSurviveSerialisation() throws Exception {
        ModelConfig cfg = ModelConfig.of(Variant.MSCNN_SPU_ATT, 30, true).withSizes(16, 12, 4, 16, 32);
        Trainer.Config t = new Trainer.Config(7, 3, 16, new AdamHyper(0.001f, 0.8f, 0.99f, 1e-7f, 2f), 42, Progress.NONE,
                new Augmentation(true, 2, 20, 2, 4, 0.1f, 0.3f, 0.1f, true), 0.75f);
        CrossValidation.Settings s = new CrossValidation.Settings(new TrainingRun.Recipe(cfg, t, new float[]{1, 2, 3}, true), "session", null, 3, 2,
                Map.of("dataset", "generated", "recipe", "robust"));
        List<Example> examples = List.of(
                new Example("a", "S1F", "1", new float[]{1, 2, 3, 4, 5, 6, 7, 8}, 2, new int[]{3, 1}, new float[]{0.5f, 0.25f, 0, 1}, 2,
                        List.of(new float[]{9, 8, 7, 6, 5, 4, 3, 2, 1, 0, -1, -2})),
                new Example("b", "S2M", "2", new float[]{-1, -2, -3, -4}, 1, new int[]{}, null, -1));
        SharedData back = roundTrip(new SharedData(examples, TaskSettings.of(s)));
        assertEquals(examples.size(), back.examples().size());
        for (int i = 0; i < examples.size(); i++) {
            Example x = examples.get(i), y = back.examples().get(i);
            assertEquals(List.of(x.id(), x.speaker(), x.session(), x.frames(), x.label()), List.of(y.id(), y.speaker(), y.session(), y.frames(), y.label()));
            assertArrayEquals(x.audio(), y.audio());
            assertArrayEquals(x.tokens(), y.tokens());
            assertArrayEquals(x.xvector(), y.xvector());
            assertEquals(x.copies().size(), y.copies().size());
            for (int c = 0; c < x.copies().size(); c++) assertArrayEquals(x.copies().get(c), y.copies().get(c));
        }
        CrossValidation.Settings s2 = back.settings().settings();
        assertEquals(cfg, s2.config());
        assertEquals(t, s2.train());
        assertArrayEquals(s.recipe().embedding(), s2.recipe().embedding());
        assertEquals(List.of(true, "session", 3, 2, s.checkpointMeta()), List.of(s2.recipe().frozen(), s2.folds(), s2.repeats(), s2.maxFolds(), s2.checkpointMeta()));
    }

    static SharedData roundTrip(SharedData d) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(d);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (SharedData) in.readObject();
        }
    }
}
