package dev.ser4j.cuda;

import dev.ser4j.bindings.kernels.Kernels;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built fatbin against the Java launchers, without a GPU: the container holds sm_80 and sm_90 machine code and
 * compute_90 PTX (facts sheet D's container format), and every {@link Kernels#ENTRIES} launcher's parameter list
 * matches its {@code .entry} in the PTX, parameter by parameter (kind and width): a wrong argument cell would
 * otherwise only show on a GPU.
 */
class KernelsAbiTest {
    record Image(int kind, int arch, byte[] payload) {}

    static List<Image> images() throws IOException {
        Path fatbin = Path.of(System.getProperty("ser4j.kernels.dir", "target/classes/dev/ser4j/cuda"), "ser4j_kernels.fatbin");
        Assumptions.assumeTrue(Files.isRegularFile(fatbin), () -> "no fatbin was built (" + fatbin + "): "
                + CudaRuntime.kernelsStatus());
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(fatbin)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xBA55ED50, b.getInt(0), "fatbin magic");
        int header = b.getShort(6) & 0xffff;
        long size = b.getLong(8);
        List<Image> out = new ArrayList<>();
        for (long off = header; off < header + size; ) {
            int kind = b.getShort((int) off) & 0xffff, ehs = b.getInt((int) off + 4), arch = b.getInt((int) off + 0x1C);
            long ps = b.getLong((int) off + 8);
            byte[] payload = new byte[(int) ps];
            b.get((int) (off + ehs), payload);
            out.add(new Image(kind, arch, payload));
            off += ehs + ps;
        }
        return out;
    }

    @Test
    void fatbinHoldsSm80AndSm90MachineCodeAndCompute90Ptx() throws IOException {
        List<String> found = images().stream().map(i -> (i.kind() == 2 ? "ELF sm_" : i.kind() == 1 ? "PTX compute_" : "?") + i.arch()).sorted().toList();
        assertEquals(List.of("ELF sm_80", "ELF sm_90", "PTX compute_90"), found);
        for (Image i : images()) if (i.kind() == 2) assertEquals("\u007fELF", new String(i.payload(), 0, 4, StandardCharsets.ISO_8859_1));
    }

    @Test
    void everyLauncherMatchesItsPtxEntryParameterByParameter() throws IOException {
        Image ptx = images().stream().filter(i -> i.kind() == 1).findFirst().orElseThrow();
        String text = new String(ptx.payload(), StandardCharsets.ISO_8859_1);
        assertTrue(text.contains(".version"), "the PTX is stored uncompressed (-no-compress)");
        Map<String, List<String>> entries = new HashMap<>();
        Matcher m = Pattern.compile("\\.visible \\.entry (\\w+)\\(([^)]*)\\)").matcher(text);
        while (m.find()) {
            List<String> types = new ArrayList<>();
            Matcher p = Pattern.compile("\\.param \\.(\\w+)").matcher(m.group(2));
            while (p.find()) types.add(p.group(1));
            entries.put(m.group(1), types);
        }
        assertEquals(Kernels.ENTRIES.size(), entries.size(), "entry points in the PTX: " + entries.keySet());
        for (Kernels.Entry e : Kernels.ENTRIES) {
            List<String> types = entries.get(e.name());
            assertTrue(types != null, e.name() + " is not an entry of the PTX (extern \"C\" missing?)");
            assertEquals(e.kinds().length(), types.size(), e.name() + " parameter count");
            for (int i = 0; i < types.size(); i++) {
                String t = types.get(i);
                boolean ok = switch (e.kinds().charAt(i)) {
                    case 'i' -> t.equals("u32") || t.equals("s32");
                    case 'f' -> t.equals("f32");
                    case 'l', 'p' -> t.equals("u64") || t.equals("s64");
                    default -> false;
                };
                assertTrue(ok, e.name() + " parameter " + i + ": Java passes '" + e.kinds().charAt(i) + "', the PTX declares ." + t);
            }
        }
    }
}
