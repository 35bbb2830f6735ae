package dev.ser4j.cli;

import dev.ser4j.core.InputException;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.io.SafeTensors;
import dev.ser4j.model.Checkpoint;
import dev.ser4j.model.FeatureNormalizer;
import dev.ser4j.model.TrainedModel;
import dev.ser4j.onnx.OnnxExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./ser4j export --model M.safetensors --format onnx --out M.onnx}: the model as an ONNX graph (the
 * {@code dev.ser4j:ser4j-onnx} module) and its model card {@code M.md} beside it. The interface is fixed (other tools
 * rely on it): see the README.
 */
@Command(name = "export", sortOptions = false,
        description = {"Writes a model as an ONNX graph (opset 17; dynamic batch, frame and token axes; the feature normalisation, class names and "
                + "feature definition inside) and its model card beside it (M.onnx -> M.md).",
                "Weights without ser4j's metadata (e.g. from PyTorch) need --variant and the ablation flags."})
public final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "M", required = true, description = "The model: a checkpoint of ./ser4j train or cv, or weights of ./ser4j grad.")
    Path model;

    @Option(names = "--format", paramLabel = "onnx", required = true, description = "The export format: onnx.")
    String format;

    @Option(names = "--out", paramLabel = "FILE.onnx", required = true, description = "The ONNX file; the model card goes beside it (FILE.md).")
    Path out;

    @Option(names = "--variant", paramLabel = "V",
            description = "For weights without ser4j's metadata: audio-cnn, audio-cnn-xvector, text-cnn, mscnn-spu or mscnn-spu-att.")
    String variant;

    @Mixin
    AblationOptions ablation;

    @Override
    public Integer call() {
        if (!format.toLowerCase(Locale.ROOT).equals("onnx"))
            throw new InputException("--format", "'" + format + "' is not an export format; expected onnx");
        if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx"))
            throw new InputException("--out", out + " does not end in .onnx (the model card is written beside it with .md)");
        if (Files.isDirectory(out)) throw new InputException("--out", out + " is a directory; name the .onnx file to write");
        Path card = OnnxExport.cardPath(out);
        if (Files.isDirectory(card)) throw new InputException("--out", "the model card " + card + " would replace a directory");
        TrainedModel tm = read();
        OnnxExport.Exported e;
        try {
            e = OnnxExport.write(tm, model.getFileName().toString(), out);
        } catch (IOException x) {
            throw new InputException("--out", out + " cannot be written (" + why(x) + ")");
        }
        System.out.printf(Locale.ROOT, "wrote %s (%,d bytes, %d nodes, ONNX opset %d; inputs %s; outputs logits, probabilities [batch, %d]) and %s%n",
                out, e.model().getSerializedSize(), e.nodeCount(), dev.ser4j.onnx.OnnxGraph.OPSET, String.join(", ", e.inputs()), tm.config().classes(), card);
        return 0;
    }

    /** Why a file could not be written, in words (the file system's exceptions name a file and, sometimes, a reason). */
    static String why(IOException x) {
        return switch (x) {
            case FileAlreadyExistsException f -> f.getFile() + " is in the way: a file where a folder is needed";
            case AccessDeniedException a -> "permission denied: " + a.getFile();
            case NoSuchFileException n -> n.getFile() + " does not exist";
            case FileSystemException f -> f.getReason() == null ? f.getFile() : f.getReason() + ": " + f.getFile();
            default -> String.valueOf(x.getMessage());
        };
    }

    /** A checkpoint with ser4j's metadata as it is; plain weights with the configuration from --variant, the flags and the shapes. */
    private TrainedModel read() {
        try (SafeTensors st = SafeTensors.open(model)) {
            if (st.metadata().containsKey("variant")) {
                if (variant != null || ablation.any())
                    throw new InputException(model.toString(), "already records its configuration; drop --variant and the ablation flags");
                return TrainedModel.read(model);
            }
            if (variant == null) throw new InputException(model.toString(), "has no model configuration in its metadata; pass --variant");
            ModelConfig cfg = ShapeInference.infer(st, Variant.parse(variant), ablation);
            return new TrainedModel(cfg, Checkpoint.readParameters(st, cfg, name -> false), FeatureNormalizer.identity(cfg.audioDim()), Map.of());
        }
    }
}
