package dev.ser4j.cuda;

import dev.ser4j.cpu.CpuFloats;
import dev.ser4j.cpu.CpuInts;
import dev.ser4j.cpu.Pad;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

/** kernels/pad.cu and fill.cu against cpu/Pad and the CPU backend's fill and uploadRows. */
class PadHostMathTest {
    @Test
    void padMatchesTheJavaOpBitForBit() {
        HostMath hm = HostMath.get();
        SplittableRandom r = new SplittableRandom(1);
        for (int[] sh : new int[][]{{1, 1, 0, 1}, {5, 12, 5, 96}, {3, 4, 2, 3}}) {
            int B = sh[0], T = sh[1], P = sh[2], C = sh[3];
            int[] len = Data.lengths(r, B, T, false);
            if (B > 2) len[2] = T + 3;      // a length past T is cut at T, as in Pad.forward
            float[] x = Data.gaussian(r, B * T * C, 1), outJ = Data.gaussian(r, B * (T + 2 * P) * C, 1), outK = Data.gaussian(r, outJ.length, 1);
            Pad.forward(B, T, P, C, new CpuFloats(x), new CpuInts(len), new CpuFloats(outJ));
            hm.call("pad_forward", B, T, P, C, x, len, outK);
            Data.assertExact(outJ, outK, "pad " + java.util.Arrays.toString(sh));
        }
    }

    @Test
    void fillAndCopyRows() {
        HostMath hm = HostMath.get();
        float[] x = new float[10];
        hm.call("fill_f32", 10L, 2.5f, x);
        Data.assertExact(new float[]{2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f}, x, "fill");
        float[] src = {1, 2, 3, 4, 5, 6}, dst = new float[12];
        hm.call("copy_rows", 3, 2, src, dst, 4);
        Data.assertExact(new float[]{1, 2, 0, 0, 3, 4, 0, 0, 5, 6, 0, 0}, dst, "copy_rows");
    }
}
