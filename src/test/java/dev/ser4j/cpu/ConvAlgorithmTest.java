package dev.ser4j.cpu;

import dev.ser4j.backend.ConvShape;
import dev.ser4j.core.InputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Choosing the convolution algorithm: the names, the default (direct), the system property and its errors. */
class ConvAlgorithmTest {
    static final ConvShape AUDIO = new ConvShape(96, 128, new int[]{5, 7, 9, 11});
    static final ConvShape TEXT = new ConvShape(100, 128, new int[]{2, 3, 4, 5});

    @Test
    void parsesTheNamesAndRejectsOthers() {
        assertEquals(ConvAlgorithm.DIRECT, ConvAlgorithm.parse(" Direct "));
        assertEquals(ConvAlgorithm.winograd(ConvAlgorithm.DEFAULT_POINTS), ConvAlgorithm.parse("winograd"));
        assertEquals(ConvAlgorithm.winograd(16), ConvAlgorithm.parse("winograd:16"));
        for (String bad : new String[]{"fft", "winograd:15", "winograd:x", "winograd:0", ""})
            assertThrows(IllegalArgumentException.class, () -> ConvAlgorithm.parse(bad), bad);
    }

    @Test
    void autoIsTheDefaultAndThePropertySelectsAnother() {
        assumeTrue(System.getenv("SER4J_CONV") == null, "SER4J_CONV is set in this environment");
        String before = System.getProperty("ser4j.conv");
        try {
            System.clearProperty("ser4j.conv");
            assertEquals(ConvAlgorithm.winograd(ConvAlgorithm.DEFAULT_POINTS), ConvAlgorithm.configured().apply(AUDIO));
            assertEquals(ConvAlgorithm.winograd(ConvAlgorithm.DEFAULT_POINTS), new CpuBackend().convAlgorithm(AUDIO));
            assertEquals(ConvAlgorithm.DIRECT, new CpuBackend().convAlgorithm(TEXT));
            assertTrue(ConvAlgorithm.describe().startsWith("auto:") && ConvAlgorithm.describe().contains("the default"), ConvAlgorithm.describe());

            System.setProperty("ser4j.conv", "direct");
            assertEquals(ConvAlgorithm.DIRECT, new CpuBackend().convAlgorithm(AUDIO));
            assertEquals("direct for every convolution (SER4J_CONV)", ConvAlgorithm.describe());

            System.setProperty("ser4j.conv", "winograd:24");
            assertEquals(ConvAlgorithm.winograd(24), new CpuBackend().convAlgorithm(AUDIO));
            assertEquals(ConvAlgorithm.winograd(24), new CpuBackend().convAlgorithm(TEXT));

            System.setProperty("ser4j.conv", "auto");
            assertEquals(ConvAlgorithm.winograd(ConvAlgorithm.DEFAULT_POINTS), new CpuBackend().convAlgorithm(AUDIO));
            assertEquals(ConvAlgorithm.DIRECT, new CpuBackend().convAlgorithm(TEXT));

            System.setProperty("ser4j.conv", "winograd:10");        // fewer points than the audio window's 11 taps + 1
            InputException e = assertThrows(InputException.class, () -> new CpuBackend().convAlgorithm(AUDIO));
            assertTrue(e.getMessage().contains("winograd:12"), e.getMessage());
            System.setProperty("ser4j.conv", "fast");
            assertThrows(InputException.class, ConvAlgorithm::configured);
            assertTrue(ConvAlgorithm.describe().startsWith("invalid"), ConvAlgorithm.describe());
        } finally {
            if (before == null) System.clearProperty("ser4j.conv");
            else System.setProperty("ser4j.conv", before);
        }
    }
}
