package dev.ser4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ser4j.InputException;
import dev.ser4j.io.SafeTensors;


/** safetensors: any bytes either open as a valid file whose tensors all read, or fail with InputException. */
class SafeTensorsFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void anyBytesOpenOrFailWithInputException(byte[] data) {
        try (SafeTensors st = SafeTensors.parse(data, "fuzz.safetensors")) {
            for (String name : st.names()) {
                SafeTensors.Entry e = st.entry(name);
                if (e.numel() > 1 << 20) continue;
                try {
                    if (e.dtype().name().startsWith("F") || e.dtype() == SafeTensors.DType.BF16) st.floats(name);
                    else st.ints(name);
                } catch (InputException ok) {
                    // e.g. an I64 outside int32: a clear rejection is a valid answer
                }
            }
        } catch (InputException expected) {
            // the other valid answer
        }
    }
}
