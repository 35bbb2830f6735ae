package dev.ser4j.onnx;

import com.google.protobuf.ByteString;
import dev.ser4j.onnx.ir.AttributeProto;
import dev.ser4j.onnx.ir.GraphProto;
import dev.ser4j.onnx.ir.ModelProto;
import dev.ser4j.onnx.ir.NodeProto;
import dev.ser4j.onnx.ir.OperatorSetIdProto;
import dev.ser4j.onnx.ir.StringStringEntryProto;
import dev.ser4j.onnx.ir.TensorProto;
import dev.ser4j.onnx.ir.TensorShapeProto;
import dev.ser4j.onnx.ir.TypeProto;
import dev.ser4j.onnx.ir.ValueInfoProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small builder of ONNX graphs over the generated protobuf classes: inputs and outputs with symbolic axes,
 * constant tensors (initializers, stored as little-endian {@code raw_data}), and nodes of the standard operator set,
 * each returning the name of its output so that the graph reads as a sequence of calls. Every value name is unique
 * (a {@code scope/what} prefix plus a counter where needed); nodes are added in topological order, as ONNX requires.
 *
 * <p>One operator set for the whole graph, {@link #OPSET} (17, IR version 8): the operators' signatures below are
 * those of opset 17 (ReduceSum, Squeeze and Unsqueeze take axes as an input, ReduceMax as an attribute).
 */
public final class OnnxGraph {
    /** The ONNX operator set the graphs use. */
    public static final int OPSET = 17;
    /** The IR version of opset 17 (ONNX 1.12). */
    public static final int IR_VERSION = 8;

    /** TensorProto.DataType codes. */
    public static final int FLOAT = TensorProto.DataType.FLOAT_VALUE, INT64 = TensorProto.DataType.INT64_VALUE,
            BOOL = TensorProto.DataType.BOOL_VALUE;

    private final GraphProto.Builder g = GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();
    private final Map<String, Integer> counters = new HashMap<>();
    private final Map<String, String> scalars = new HashMap<>();
    private String scope = "";

    public OnnxGraph(String name) {
        g.setName(name);
    }

    /** Names of values made from here on start with {@code scope/}. */
    public void scope(String s) {
        scope = s.isEmpty() ? "" : s + "/";
    }

    /** A fresh value name: {@code scope/base}, with {@code _n} added when it is taken. */
    public String fresh(String base) {
        String name = scope + base;
        if (names.add(name)) return name;
        int n = counters.merge(name, 1, Integer::sum);
        while (!names.add(name + "_" + n)) n = counters.merge(name, 1, Integer::sum);
        return name + "_" + n;
    }

    private String claim(String exact) {
        if (!names.add(exact)) throw new IllegalArgumentException("value name '" + exact + "' is taken");
        return exact;
    }

    // ---- inputs, outputs, constants ----

    /** A graph input; each dimension is a {@code Long} (fixed) or a {@code String} (a symbolic, dynamic axis). */
    public String input(String name, int elemType, String doc, Object... dims) {
        g.addInput(valueInfo(claim(name), elemType, doc, dims));
        return name;
    }

    /** Declares an existing value (a node's output) as a graph output. */
    public void output(String name, int elemType, String doc, Object... dims) {
        if (!names.contains(name)) throw new IllegalArgumentException("no value '" + name + "'");
        g.addOutput(valueInfo(name, elemType, doc, dims));
    }

    private static ValueInfoProto valueInfo(String name, int elemType, String doc, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String s) dim.setDimParam(s);
            else dim.setDimValue(((Number) d).longValue());
            shape.addDim(dim);
        }
        TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).setDocString(doc).build();
    }

    /** A float32 initializer of the given shape (row-major values). */
    public String floats(String base, float[] values, long... dims) {
        checkSize(values.length, dims);
        ByteBuffer buf = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return initializer(base, FLOAT, ByteString.copyFrom(buf.array()), dims);
    }

    /** A float32 initializer under exactly {@code name} (no scope): a parameter under its checkpoint name. */
    public String constant(String name, float[] values, long... dims) {
        checkSize(values.length, dims);
        ByteBuffer buf = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        TensorProto.Builder t = TensorProto.newBuilder().setName(claim(name)).setDataType(FLOAT).setRawData(ByteString.copyFrom(buf.array()));
        for (long d : dims) t.addDims(d);
        g.addInitializer(t);
        return name;
    }

    /** An int64 initializer of the given shape. */
    public String longs(String base, long[] values, long... dims) {
        checkSize(values.length, dims);
        ByteBuffer buf = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(values);
        return initializer(base, INT64, ByteString.copyFrom(buf.array()), dims);
    }

    /** A 1-D int64 initializer (axes, shapes). */
    public String longs(String base, long... values) {
        return longs(base, values, values.length);
    }

    /** A float32 scalar (rank 0), shared by every use of the same value. */
    public String scalar(float v) {
        return scalars.computeIfAbsent("f" + Float.floatToRawIntBits(v), k -> {
            String saved = scope;
            scope = "const/";
            try {
                return floats("f32_" + Float.toString(v).replace('-', 'm').replace('.', 'p'), new float[]{v});
            } finally {
                scope = saved;
            }
        });
    }

    /** An int64 scalar (rank 0), shared by every use of the same value. */
    public String scalar(long v) {
        return scalars.computeIfAbsent("i" + v, k -> {
            String saved = scope;
            scope = "const/";
            try {
                return longs("i64_" + Long.toString(v).replace('-', 'm'), new long[]{v}, new long[0]);
            } finally {
                scope = saved;
            }
        });
    }

    /** A 1-D int64 constant (axes, shapes), shared by every use of the same values. */
    public String axes(long... v) {
        return scalars.computeIfAbsent("a" + java.util.Arrays.toString(v), k -> {
            String saved = scope;
            scope = "const/";
            try {
                StringBuilder name = new StringBuilder("i64");
                for (long x : v) name.append('_').append(Long.toString(x).replace('-', 'm'));
                return longs(name.toString(), v);
            } finally {
                scope = saved;
            }
        });
    }

    private String initializer(String base, int type, ByteString raw, long... dims) {
        String name = fresh(base);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type).setRawData(raw);
        for (long d : dims) t.addDims(d);
        g.addInitializer(t);
        return name;
    }

    private static void checkSize(int n, long... dims) {
        long size = 1;
        for (long d : dims) size *= d;
        if (size != n) throw new IllegalArgumentException(n + " values for shape " + java.util.Arrays.toString(dims));
    }

    // ---- nodes ----

    /** An attribute of a node. */
    public record Attr(AttributeProto proto) {
        public static Attr i(String name, long v) {
            return new Attr(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build());
        }

        public static Attr f(String name, float v) {
            return new Attr(AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build());
        }

        public static Attr ints(String name, long... v) {
            AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
            for (long x : v) a.addInts(x);
            return new Attr(a.build());
        }
    }

    /** A node of the standard operator set with one output, named {@code scope/out}; returns that name. */
    public String node(String op, String out, List<String> inputs, Attr... attrs) {
        String name = fresh(out);
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(name);
        for (String in : inputs) {
            if (!names.contains(in)) throw new IllegalArgumentException(op + " '" + name + "': no value '" + in + "'");
            n.addInput(in);
        }
        for (Attr a : attrs) n.addAttribute(a.proto());
        g.addNode(n);
        return name;
    }

    /** A node whose output is a graph output of exactly that name (no scope prefix). */
    public String named(String op, String exact, List<String> inputs, Attr... attrs) {
        String saved = scope;
        scope = "";
        try {
            String name = node(op, exact, inputs, attrs);
            if (!name.equals(exact)) throw new IllegalArgumentException("value name '" + exact + "' is taken");
            return name;
        } finally {
            scope = saved;
        }
    }

    public int nodeCount() {
        return g.getNodeCount();
    }

    /** The model: this graph with the opset import, producer and metadata. */
    public ModelProto model(String producerVersion, String doc, Map<String, String> metadata) {
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("ser4j").setProducerVersion(producerVersion).setDomain("dev.ser4j").setModelVersion(1)
                .setDocString(doc).setGraph(g);
        metadata.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }
}
