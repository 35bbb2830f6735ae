package dev.ser4j.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ser4j.core.InputException;
import dev.ser4j.io.SafeTensors;
import dev.ser4j.model.MscnnSpuAtt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything a training run needs to continue exactly where it stopped: weights, Adam's moments and step count,
 * the best epoch's weights and score, the weights' moving average when training keeps one, the early-stopping counter,
 * the history, and the position (epoch, steps done in it, the partial loss). The batch order and dropout masks are pure functions of (seed, epoch, step), so no
 * generator state needs saving. Written atomically as safetensors, so a kill leaves the old state or the new one.
 */
public record TrainState(long seed, int epoch, int stepsDone, double lossSum, int seen, int adamSteps,
                         float[] params, float[] adamM, float[] adamV, float[] best, float[] average, int bestEpoch, double bestUa,
                         int since, List<Trainer.Epoch> history) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The state of {@code model} now. */
    static TrainState capture(MscnnSpuAtt model, long seed, int epoch, int stepsDone, double lossSum, int seen, float[] best,
                              float[] average, int bestEpoch, double bestUa, int since, List<Trainer.Epoch> history) {
        float[][] adam = model.adamState();
        return new TrainState(seed, epoch, stepsDone, lossSum, seen, model.adamSteps(), model.parameterBlock(), adam[0], adam[1],
                best, average, bestEpoch, bestUa, since, List.copyOf(history));
    }

    /** Puts the weights and the optimiser state back into {@code model}. */
    void restore(MscnnSpuAtt model) {
        model.setParameterBlock(params);
        model.setAdamState(adamSteps, adamM, adamV);
    }

    public void save(Path file) throws IOException {
        SafeTensors.Writer w = SafeTensors.writer()
                .metadata("ser4j.train_state", "1")
                .metadata("seed", Long.toString(seed)).metadata("epoch", Integer.toString(epoch))
                .metadata("steps_done", Integer.toString(stepsDone)).metadata("loss_sum", Double.toString(lossSum))
                .metadata("seen", Integer.toString(seen)).metadata("adam_steps", Integer.toString(adamSteps))
                .metadata("best_epoch", Integer.toString(bestEpoch)).metadata("best_ua", Double.toString(bestUa))
                .metadata("since", Integer.toString(since)).metadata("history", JSON.writeValueAsString(history))
                .f32("params", params, params.length).f32("adam.m", adamM, adamM.length).f32("adam.v", adamV, adamV.length);
        if (best != null) w.f32("best", best, best.length);
        if (average != null) w.f32("average", average, average.length);
        w.write(file);
    }

    public static TrainState load(Path file) {
        try (SafeTensors st = SafeTensors.open(file)) {
            Map<String, String> m = st.metadata();
            if (!"1".equals(m.get("ser4j.train_state"))) throw new InputException(file, "is not a ser4j training state");
            int n = Math.toIntExact(st.entry("params").numel());
            return new TrainState(Long.parseLong(m.get("seed")), Integer.parseInt(m.get("epoch")), Integer.parseInt(m.get("steps_done")),
                    Double.parseDouble(m.get("loss_sum")), Integer.parseInt(m.get("seen")), Integer.parseInt(m.get("adam_steps")),
                    st.floats("params", n), st.floats("adam.m", n), st.floats("adam.v", n), st.has("best") ? st.floats("best", n) : null,
                    st.has("average") ? st.floats("average", n) : null,
                    Integer.parseInt(m.get("best_epoch")), Double.parseDouble(m.get("best_ua")), Integer.parseInt(m.get("since")),
                    JSON.readValue(m.get("history"), new TypeReference<List<Trainer.Epoch>>() {}));
        } catch (NumberFormatException | NullPointerException | JsonProcessingException e) {
            throw new InputException(file, "is a damaged training state (" + e.getMessage() + ")");
        }
    }

    /** Where a run's state lives, and the request to stop early (Ctrl-C). */
    public record Store(Path file, java.util.concurrent.atomic.AtomicBoolean stop) {
        public boolean exists() {
            return Files.exists(file);
        }
    }
}
