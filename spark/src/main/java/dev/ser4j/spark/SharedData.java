package dev.ser4j.spark;

import dev.ser4j.model.Example;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What every task of a cross-validation shares, broadcast once: the prepared examples and the protocol. The examples
 * are written field by field (each array in one piece), since {@link Example} is the library's record and not
 * {@link Serializable}; reading them back gives equal arrays, so a task trains on exactly the driver's examples.
 */
final class SharedData implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private transient List<Example> examples;
    private final TaskSettings settings;

    SharedData(List<Example> examples, TaskSettings settings) {
        this.examples = List.copyOf(examples);
        this.settings = settings;
    }

    List<Example> examples() {
        return examples;
    }

    TaskSettings settings() {
        return settings;
    }

    /** The bytes of the features (the utterances' and their augmented copies'), for the log. */
    long featureBytes() {
        long n = 0;
        for (Example e : examples) {
            n += 4L * e.audio().length;
            for (float[] c : e.copies()) n += 4L * c.length;
        }
        return n;
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        out.writeInt(examples.size());
        for (Example e : examples) {
            out.writeObject(e.id());
            out.writeObject(e.speaker());
            out.writeObject(e.session());
            out.writeInt(e.frames());
            out.writeInt(e.label());
            out.writeUnshared(e.audio());
            out.writeUnshared(e.tokens());
            out.writeUnshared(e.xvector());
            out.writeInt(e.copies().size());
            for (float[] c : e.copies()) out.writeUnshared(c);
        }
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        int n = in.readInt();
        List<Example> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = (String) in.readObject(), speaker = (String) in.readObject(), session = (String) in.readObject();
            int frames = in.readInt(), label = in.readInt();
            float[] audio = (float[]) in.readUnshared();
            int[] tokens = (int[]) in.readUnshared();
            float[] xvector = (float[]) in.readUnshared();
            int k = in.readInt();
            List<float[]> copies = new ArrayList<>(k);
            for (int c = 0; c < k; c++) copies.add((float[]) in.readUnshared());
            list.add(new Example(id, speaker, session, audio, frames, tokens, xvector, label, copies));
        }
        examples = List.copyOf(list);
    }
}
