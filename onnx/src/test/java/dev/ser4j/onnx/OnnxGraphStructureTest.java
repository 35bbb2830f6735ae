package dev.ser4j.onnx;

import dev.ser4j.core.ModelConfig;
import dev.ser4j.model.FeatureNormalizer;
import dev.ser4j.onnx.ir.GraphProto;
import dev.ser4j.onnx.ir.ModelProto;
import dev.ser4j.onnx.ir.NodeProto;
import dev.ser4j.onnx.ir.StringStringEntryProto;
import dev.ser4j.onnx.ir.TensorProto;
import dev.ser4j.onnx.ir.TensorShapeProto;
import dev.ser4j.onnx.ir.ValueInfoProto;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The rules of ONNX's checker that ONNX Runtime's loader does not all enforce, checked on the serialised bytes of
 * every variant and ablation (Python's {@code onnx.checker} is not available here): IR version and a single opset
 * import; graph inputs, initializers and node outputs each named once; nodes in topological order, every input
 * defined before use; every initializer's raw data exactly its shape's size; only opset-17 operators; dynamic axes
 * named; distinct metadata keys.
 */
class OnnxGraphStructureTest {
    static final Set<String> OPSET_17_OPS_USED = Set.of("Add", "Cast", "Concat", "Conv", "Div", "Gather", "Gemm", "Greater", "Less", "MatMul",
            "Max", "Mul", "Range", "ReduceMax", "ReduceSum", "Relu", "Reshape", "Shape", "Softmax", "Sqrt", "Squeeze", "Sub", "Transpose",
            "Unsqueeze", "Where");

    @Test
    void everyExportedGraphIsWellFormed() throws Exception {
        long seed = 1;
        for (var e : OnnxParityTest.configurations(true).entrySet()) {
            ModelConfig cfg = e.getValue();
            byte[] bytes = OnnxExport.export(OnnxParityTest.trained(cfg, seed++, FeatureNormalizer.identity(cfg.audioDim())), "x").bytes();
            check(e.getKey(), ModelProto.parseFrom(bytes));
        }
    }

    static void check(String name, ModelProto m) {
        assertEquals(OnnxGraph.IR_VERSION, m.getIrVersion(), name);
        assertEquals(1, m.getOpsetImportCount(), name);
        assertEquals("", m.getOpsetImport(0).getDomain());
        assertEquals(OnnxGraph.OPSET, m.getOpsetImport(0).getVersion());
        GraphProto g = m.getGraph();
        Set<String> defined = new HashSet<>();
        for (ValueInfoProto in : g.getInputList()) {
            assertTrue(defined.add(in.getName()), name + ": input " + in.getName() + " twice");
            for (TensorShapeProto.Dimension d : in.getType().getTensorType().getShape().getDimList())
                assertTrue(d.hasDimParam() || d.getDimValue() > 0, name + ": " + in.getName() + " has an unnamed dynamic axis");
        }
        for (TensorProto t : g.getInitializerList()) {
            assertTrue(defined.add(t.getName()), name + ": initializer " + t.getName() + " shadows another value");
            long n = 1;
            for (long d : t.getDimsList()) n *= d;
            int width = switch (t.getDataType()) {
                case OnnxGraph.FLOAT -> 4;
                case OnnxGraph.INT64 -> 8;
                default -> throw new AssertionError(name + ": initializer " + t.getName() + " of type " + t.getDataType());
            };
            assertEquals(n * width, t.getRawData().size(), name + ": " + t.getName() + " raw data");
        }
        Set<String> nodeNames = new HashSet<>();
        for (NodeProto node : g.getNodeList()) {
            assertTrue(OPSET_17_OPS_USED.contains(node.getOpType()), name + ": operator " + node.getOpType());
            assertTrue(node.getDomain().isEmpty(), name + ": " + node.getName() + " outside the standard domain");
            assertTrue(nodeNames.add(node.getName()), name + ": node name " + node.getName() + " twice");
            for (String in : node.getInputList()) assertTrue(defined.contains(in), name + ": " + node.getName() + " reads " + in + " before it exists");
            for (String out : node.getOutputList()) assertTrue(defined.add(out), name + ": " + out + " assigned twice");
        }
        assertEquals(List.of(OnnxExport.LOGITS, OnnxExport.PROBABILITIES), g.getOutputList().stream().map(ValueInfoProto::getName).toList());
        for (ValueInfoProto out : g.getOutputList()) assertTrue(defined.contains(out.getName()));
        Set<String> keys = new HashSet<>();
        for (StringStringEntryProto kv : m.getMetadataPropsList()) assertTrue(keys.add(kv.getKey()), name + ": metadata key " + kv.getKey() + " twice");
        assertTrue(keys.containsAll(List.of("labels", "features", "speaker_norm", "trim_silence", "variant", "onnx.inputs")), name + ": " + keys);
    }
}
