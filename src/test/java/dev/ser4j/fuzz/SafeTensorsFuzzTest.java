package dev.ser4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ser4j.core.InputException;
import dev.ser4j.io.SafeTensors;

import static dev.ser4j.fuzz.Property.check;
import static dev.ser4j.fuzz.Property.resultOrInputException;

/** safetensors: any bytes either open as a valid file whose tensors all read, or fail with InputException. */
class SafeTensorsFuzzTest {
    private static final String NAME = "fuzz.safetensors";

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void anyBytesOpenOrFailWithInputException(byte[] data) {
        resultOrInputException(data.length, () -> {
            try (SafeTensors st = SafeTensors.parse(data, NAME)) {
                for (String name : st.names()) {
                    SafeTensors.Entry e = st.entry(name);
                    check(e.begin() >= 8 && e.begin() <= e.end() && e.end() <= data.length, name + " lies outside the file");
                    try {
                        int n = e.dtype().name().startsWith("F") || e.dtype() == SafeTensors.DType.BF16
                                ? st.floats(name).length : st.ints(name).length;
                        check(n == e.numel(), name + " read " + n + " values of " + e.numel());
                    } catch (InputException ok) {
                        // e.g. an I64 outside int32: a clear rejection is a valid answer
                    }
                }
                return st.names();
            }
        }, NAME);
    }
}
