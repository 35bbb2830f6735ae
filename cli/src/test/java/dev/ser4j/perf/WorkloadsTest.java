package dev.ser4j.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.model.Batcher;
import dev.ser4j.model.Example;
import dev.ser4j.model.FeatureNormalizer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The workload JSON that bench/pytorch_bench.py --workload replays: every utterance once, batches by index. */
class WorkloadsTest {
    @Test
    void describeListsEveryUtteranceAndEachBatchAsIndicesIntoThem() throws Exception {
        ModelConfig cfg = ModelConfig.of(Variant.MSCNN_SPU_ATT, 4000, true);
        List<Example> examples = Workloads.examples(cfg, 40, 11);
        List<List<Example>> bucketed = new Batcher(cfg, FeatureNormalizer.identity(cfg.audioDim())).epoch(examples, 16, 5);
        List<List<Example>> padded = List.of(examples.subList(0, 16), examples.subList(16, 40));
        ObjectMapper om = new ObjectMapper();
        JsonNode j = om.readTree(om.writeValueAsString(Workloads.describe(om, examples, bucketed, padded)));
        assertEquals(40, j.get("n").asInt());
        for (int i = 0; i < 40; i++) {
            JsonNode u = j.get("utterances").get(i);
            Example e = examples.get(i);
            assertEquals(e.frames(), u.get("frames").asInt());
            assertEquals(e.label(), u.get("label").asInt());
            int[] tokens = new int[u.get("tokens").size()];
            for (int t = 0; t < tokens.length; t++) tokens[t] = u.get("tokens").get(t).asInt();
            assertArrayEquals(e.tokens(), tokens);
        }
        for (var kind : List.of(List.of("bucketed", bucketed), List.of("padded", padded))) {
            @SuppressWarnings("unchecked") List<List<Example>> batches = (List<List<Example>>) kind.get(1);
            JsonNode b = j.get((String) kind.get(0));
            assertEquals(batches.size(), b.size());
            List<Integer> seen = new ArrayList<>();
            for (int k = 0; k < batches.size(); k++)
                for (int m = 0; m < batches.get(k).size(); m++) {
                    int idx = b.get(k).get(m).asInt();
                    assertEquals(batches.get(k).get(m), examples.get(idx), kind.get(0) + " batch " + k);
                    seen.add(idx);
                }
            int[] all = seen.stream().mapToInt(Integer::intValue).sorted().toArray();
            int[] expect = new int[40];
            Arrays.setAll(expect, i -> i);
            assertArrayEquals(expect, all, kind.get(0) + ": every utterance exactly once");
        }
    }
}
