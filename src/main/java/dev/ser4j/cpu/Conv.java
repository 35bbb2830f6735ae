package dev.ser4j.cpu;

import dev.ser4j.backend.ConvShape;
import dev.ser4j.core.Pooling;

import java.util.Arrays;
import java.util.List;

/**
 * conv1d: masked multi-scale "same" 1-D convolution followed by ReLU (model spec, "Multi-scale CNN").
 * <pre>
 *   out[b, t, k*F + o] = ReLU( bias_k[o] + sum_{j < s_k} sum_c w_k[o, c, j] * x[b, t - left(s_k) + j, c] )   for t < len[b]
 * </pre>
 * x [B, T+2P, Ci] padded and zero outside the valid rows; w_k [F, Ci, s_k] (PyTorch's layout); bias_k [F] (b[k]);
 * out [B, T+2P, Co = F*K], zero outside the valid rows. The ReLU mask is out > 0.
 *
 * <p>Fast path. Only valid positions are computed: the N = sum_b len[b] valid rows are numbered compactly, so padding
 * costs nothing however unequal the lengths in a batch. A kernel tap at offset {@code d = j - left(s)} reads row
 * {@code r + d}; the kernels reading an offset fill contiguous output columns ({@link ConvShape#runs}). Offsets that
 * fill the same columns form a group (audio: d in -2..2 feed all 512 columns, +-3 the last 384, +-4 the last 256, +-5
 * the last 128); for each group the shifted input rows of every valid position are gathered once (im2col,
 * {@code Xg [N, n*Ci]}; rows past an utterance read its zero padding), and the group is one sgemm:
 * {@code Y[:, run] += Xg . Wg} with {@code Wg [n*Ci, width]} the group's weights. Y [N, Co] is scattered into the padded
 * output with bias and ReLU. Backward, with {@code dY = dout * (out > 0)} gathered at the valid rows:
 * {@code dWg = dY[:, run]^T . Xg} (the forward's Xg is kept), {@code dXg = dY[:, run] . Wg^T} added back to the rows it
 * was gathered from, {@code db = 1^T . dY}.
 *
 * <p>A workspace made for {@link ConvAlgorithm#winograd} computes Y and the gradients by fast filtering instead
 * ({@link ConvWinograd}, about a third of the operations for the audio kernels); Y's rows are then ordered by tile
 * ({@link Workspace#row}), and everything around the products (bias, ReLU, the fused pooling, dY) is shared. The
 * direct path stays the reference the Winograd one is tested against, with the naive twin below as the oracle of both.
 */
public final class Conv {
    private Conv() {}

    /** Offsets that fill the same output columns: one sgemm each way. */
    record Group(int[] offsets, ConvShape.Run run) {
        int k(int cin) { return offsets.length * cin; }
    }

    static List<Group> groups(ConvShape s) {
        java.util.Map<ConvShape.Run, List<Integer>> byRun = new java.util.LinkedHashMap<>();
        for (int d = s.minOffset(); d <= s.maxOffset(); d++)
            for (ConvShape.Run run : s.runs(d)) byRun.computeIfAbsent(run, r -> new java.util.ArrayList<>()).add(d);
        List<Group> out = new java.util.ArrayList<>();
        byRun.forEach((run, ds) -> out.add(new Group(ds.stream().mapToInt(Integer::intValue).toArray(), run)));
        out.sort(java.util.Comparator.comparingInt((Group g) -> g.run().c0()).thenComparingInt(g -> -g.run().c1()));
        return out;
    }

    /**
     * The workspace of one shape: group weights and their gradients, the valid rows' positions, the gathered rows
     * (kept from forward for backward), the compact output and its gradient. Grown on demand, never shrunk.
     */
    public static final class Workspace {
        final ConvShape shape;
        final List<Group> groups;
        final ConvWinograd.State winograd;           // null: the direct path (groups, wg, dwg, cols)
        final float[] wg, dwg, colSums;
        float[] cols = new float[0], y = new float[0], ones = new float[0];
        int[] start = new int[0];                    // start[b]: compact index of utterance b's first valid row
        int[] rowBase = new int[0], rowStride = new int[0];
        int tileOutputs;                             // Winograd: Y's row map (ConvWinograd.plan)
        Object colsOf;                               // the input the gathered rows (or V) were made from (checked by backward)
        int colsB, colsT, colsOff, n;
        PackedFrom packedFrom;                       // the weights wg (or U) was packed from, and their version
        long packedVersion = -1;

        /** The direct path. */
        public Workspace(ConvShape s) {
            this(s, ConvAlgorithm.DIRECT);
        }

        public Workspace(ConvShape s, ConvAlgorithm algorithm) {
            this.shape = s;
            this.winograd = algorithm.winograd() ? new ConvWinograd.State(s, algorithm.points()) : null;
            this.groups = winograd == null ? groups(s) : List.of();
            int total = 0;
            for (Group g : groups) total += g.k(s.cin()) * g.run().width();
            this.wg = new float[total];
            this.dwg = new float[total];
            this.colSums = new float[s.cout()];
        }

        /** The row of Y (and dY) that holds utterance b's position t. */
        int row(int b, int t) {
            return winograd == null ? start[b] + t : rowBase[b] + (t % tileOutputs) * rowStride[b] + t / tileOutputs;
        }

        /** Rows of Y utterance b of length n occupies: n, or its tiles' outputs (the ones past n dropped). */
        int rows(int n) {
            return winograd == null ? n : (n + tileOutputs - 1) / tileOutputs * tileOutputs;
        }

        private static float[] grow(float[] a, long n) {
            return a.length >= n ? a : new float[Math.toIntExact(n)];
        }

        /** Numbers the valid rows: start[b] = sum of the lengths before b; returns N. */
        int number(int B, CpuInts len) {
            int[] lena = len.array();
            int lenOff = len.offset();
            if (start.length < B + 1) start = new int[B + 1];
            for (int b = 0; b < B; b++) start[b + 1] = start[b] + lena[lenOff + b];
            return start[B];
        }

        long colsSize(int n) {
            long k = 0;
            for (Group g : groups) k += g.k(shape.cin());
            return n * k;
        }
    }

    /** Regroups the PyTorch-layout weights into each group's {@code Wg [n*Ci, width]}. */
    static void pack(Workspace ws, CpuFloats[] w) {
        int ci = ws.shape.cin(), f = ws.shape.filters(), off = 0;
        int[] ks = ws.shape.kernels();
        for (Group g : ws.groups) {
            int width = g.run().width();
            for (int i = 0; i < g.offsets().length; i++)
                for (int col = g.run().c0(); col < g.run().c1(); col++) {
                    int k = col / f, o = col % f, ksz = ks[k], j = g.offsets()[i] + ConvShape.left(ksz);
                    float[] wk = w[k].array();
                    int src = w[k].offset() + o * ci * ksz + j, dst = off + i * ci * width + (col - g.run().c0());
                    for (int c = 0; c < ci; c++) ws.wg[dst + c * width] = wk[src + c * ksz];
                }
            off += g.k(ci) * width;
        }
    }

    /** Packs unless {@code wg} (or U) already holds these weights at this version ({@code version < 0}: unknown, always pack). */
    static void packIfChanged(Workspace ws, CpuFloats[] w, long version) {
        if (version >= 0 && version == ws.packedVersion && ws.packedFrom != null && ws.packedFrom.same(w)) return;
        if (ws.winograd != null) ConvWinograd.pack(ws, w);
        else pack(ws, w);
        ws.packedFrom = PackedFrom.of(w);
        ws.packedVersion = version;
    }

    /** The weight arrays (by identity) and offsets that a workspace's packed weights came from. */
    record PackedFrom(float[][] w, int[] wOff) {
        static PackedFrom of(CpuFloats[] w) {
            float[][] a = new float[w.length][];
            int[] o = new int[w.length];
            for (int k = 0; k < w.length; k++) {
                a[k] = w[k].array();
                o[k] = w[k].offset();
            }
            return new PackedFrom(a, o);
        }

        boolean same(CpuFloats[] other) {
            if (w.length != other.length) return false;
            for (int k = 0; k < w.length; k++) if (w[k] != other[k].array() || wOff[k] != other[k].offset()) return false;
            return true;
        }
    }

    /** Adds each group's {@code dWg^T [width, n*Ci]} into the PyTorch-layout gradients. */
    static void unpackAdd(Workspace ws, CpuFloats[] dw) {
        int ci = ws.shape.cin(), f = ws.shape.filters(), off = 0;
        int[] ks = ws.shape.kernels();
        for (Group g : ws.groups) {
            int width = g.run().width();
            for (int i = 0; i < g.offsets().length; i++)
                for (int col = g.run().c0(); col < g.run().c1(); col++) {
                    int k = col / f, o = col % f, ksz = ks[k], j = g.offsets()[i] + ConvShape.left(ksz);
                    float[] dwk = dw[k].array();
                    int dst = dw[k].offset() + o * ci * ksz + j, src = off + (col - g.run().c0()) * g.k(ci) + i * ci;
                    for (int c = 0; c < ci; c++) dwk[dst + c * ksz] += ws.dwg[src + c];
                }
            off += g.k(ci) * width;
        }
    }

    /** Gathers {@code Xg[start[b] + t, i*Ci + c] = x[b, t + d_i, c]} for every group and valid row; utterances in parallel. */
    private static void gather(Workspace ws, int B, int T, CpuFloats x, CpuInts len) {
        float[] xa = x.array();
        int[] lena = len.array();
        int xOff = x.offset(), lenOff = len.offset();
        int ci = ws.shape.cin(), P = ws.shape.pad(), stride = T + 2 * P, n = ws.n;
        float[] cols = ws.cols;
        long base = 0;
        for (Group g : ws.groups) {
            int K = g.k(ci);
            long gb = base;
            int[] ds = g.offsets();
            Parallel.forEach(B, b -> {
                for (int t = 0, c = ws.start[b]; t < lena[lenOff + b]; t++, c++)
                    for (int i = 0; i < ds.length; i++)
                        System.arraycopy(xa, xOff + (b * stride + P + t + ds[i]) * ci, cols, (int) (gb + (long) c * K + i * ci), ci);
            });
            base += (long) n * K;
        }
    }

    /**
     * {@code weightsVersion} identifies the weights' contents (it changes whenever they are written); the packed
     * group weights are reused while it stays the same, so inference does not regroup them on every call.
     */
    public static void forward(ConvShape s, int B, int T, CpuFloats x, CpuInts len, CpuFloats[] w, CpuFloats[] b,
                               CpuFloats out, Workspace ws, long weightsVersion) {
        int[] lena = len.array();
        float[] outa = out.array();
        int lenOff = len.offset(), outOff = out.offset();
        int co = s.cout(), P = s.pad(), stride = T + 2 * P;
        float[] y = preActivations(s, B, T, x, len, w, ws, weightsVersion), bias = biasRow(s, b);
        // scatter with bias + ReLU into the padded output, zero on every other row
        Parallel.forEach(B, bi -> {
            int valid = lena[lenOff + bi], r0 = outOff + bi * stride * co;
            zeroPadding(outa, r0, P, valid, stride, co);
            for (int t = 0; t < valid; t++) {
                int r = r0 + (P + t) * co, c = ws.row(bi, t) * co;
                for (int col = 0; col < co; col++) outa[r + col] = Math.max(0f, y[c + col] + bias[col]);
            }
        });
    }

    /**
     * {@link #forward} fused with {@link StatPool#forward} of its output (stats SPU or MAX): the pass that writes the
     * output also gathers each channel's max, first argmax, sum and sum of squares, so the pooling does not read
     * the output again. The variance is {@code E[x^2] - E[x]^2} in double (the values are ReLU outputs of modest
     * size, so the cancellation costs nothing at float precision).
     */
    public static void forwardStatPool(ConvShape s, Pooling st, int B, int T, CpuFloats x, CpuInts len, CpuFloats[] w,
                                       CpuFloats[] b, CpuFloats out, CpuFloats pooled, int pStride, CpuInts argmax,
                                       Workspace ws, long weightsVersion) {
        if (st == Pooling.SWEM) throw new IllegalArgumentException("SWEM pools embeddings, not a convolution output");
        int[] lena = len.array(), ama = argmax.array();
        float[] outa = out.array(), pa = pooled.array();
        int lenOff = len.offset(), outOff = out.offset(), pOff = pooled.offset(), amOff = argmax.offset();
        int co = s.cout(), P = s.pad(), stride = T + 2 * P;
        float[] y = preActivations(s, B, T, x, len, w, ws, weightsVersion), bias = biasRow(s, b);
        Parallel.forEach(B, bi -> {
            int n = lena[lenOff + bi], r0 = outOff + bi * stride * co, o = pOff + bi * pStride, am = amOff + bi * co;
            zeroPadding(outa, r0, P, n, stride, co);
            if (n == 0) {
                Arrays.fill(pa, o, o + st.blocks() * co, 0f);
                Arrays.fill(ama, am, am + co, -1);
                return;
            }
            float[] max = new float[co];
            int[] arg = new int[co];
            double[] sum = new double[co], sq = new double[co];
            Arrays.fill(max, -1f);                                  // below any ReLU output
            for (int t = 0; t < n; t++) {
                int r = r0 + (P + t) * co, c = ws.row(bi, t) * co;
                for (int col = 0; col < co; col++) {                // vectorised: output and sums
                    float v = Math.max(0f, y[c + col] + bias[col]);
                    outa[r + col] = v;
                    sum[col] += v;
                    sq[col] += (double) v * v;
                }
                for (int col = 0; col < co; col++)                  // the row just written, from L1: first max
                    if (outa[r + col] > max[col]) {
                        max[col] = outa[r + col];
                        arg[col] = t;
                    }
            }
            System.arraycopy(max, 0, pa, o, co);
            System.arraycopy(arg, 0, ama, am, co);
            if (st != Pooling.SPU) return;
            for (int col = 0; col < co; col++) {
                double mean = sum[col] / n;
                pa[o + co + col] = (float) mean;
                pa[o + 2 * co + col] = (float) Math.sqrt(Math.max(0, sq[col] / n - mean * mean) + StatPool.EPS);
            }
        });
    }

    private static float[] biasRow(ConvShape s, CpuFloats[] b) {
        int co = s.cout(), f = s.filters();
        float[] row = new float[co];
        for (int col = 0; col < co; col++) row[col] = b[col / f].array()[b[col / f].offset() + col % f];
        return row;
    }

    /** Zeroes an utterance's padded rows outside its {@code valid} rows. */
    private static void zeroPadding(float[] out, int r0, int P, int valid, int stride, int co) {
        Arrays.fill(out, r0, r0 + P * co, 0f);
        Arrays.fill(out, r0 + (P + valid) * co, r0 + stride * co, 0f);
    }

    /**
     * The valid rows' pre-activations without bias, {@code Y [N, Co]} in the workspace (row b, t at {@link Workspace#row}):
     * gather and one sgemm per group, or the Winograd path.
     */
    private static float[] preActivations(ConvShape s, int B, int T, CpuFloats x, CpuInts len, CpuFloats[] w,
                                          Workspace ws, long weightsVersion) {
        int ci = s.cin(), co = s.cout();
        packIfChanged(ws, w, weightsVersion);
        prepareInput(ws, B, T, x, len);
        if (ws.winograd != null) {
            ConvWinograd.products(ws, ws.y);
            return ws.y;
        }
        int n = ws.n;
        float[] cols = ws.cols, y = ws.y;
        boolean first = true;
        long base = 0;
        int wOffset = 0;
        for (Group g : ws.groups) {
            int K = g.k(ci), width = g.run().width();
            boolean full = first && width == co;            // the first group writes every column: no zeroing needed
            if (first && !full) Arrays.fill(y, 0, n * co, 0f);
            if (n > 0) Sgemm.sgemm(false, false, n, width, K, 1f, cols, (int) base, K, ws.wg, wOffset, width, full ? 0f : 1f, y, g.run().c0(), co);
            first = false;
            base += (long) n * K;
            wOffset += K * width;
        }
        return y;
    }

    /**
     * Adds into dx (unless null), dw and db; {@code dout} is only read. The workspace must hold the gathered rows of
     * the forward pass on the same input; they are gathered again otherwise.
     */
    public static void backward(ConvShape s, int B, int T, CpuFloats x, CpuInts len, CpuFloats[] w, CpuFloats out,
                                CpuFloats dout, CpuFloats dx, CpuFloats[] dw, CpuFloats[] db, Workspace ws, long weightsVersion) {
        int[] lena = len.array();
        float[] outa = out.array(), douta = dout.array();
        int lenOff = len.offset(), outOff = out.offset(), doutOff = dout.offset();
        int co = s.cout(), P = s.pad(), stride = T + 2 * P;
        float[] dy = prepareBackward(s, B, T, x, len, ws);
        // dY = dout * ReLU'(out) at the valid rows, gathered compactly. out >= 0 (a ReLU output), so "out > 0" is
        // "out's bits are not 0": an all-ones mask without a float compare, which the JIT vectorises (a
        // compare-and-select loop runs ~10x slower here).
        Parallel.forEach(B, bi -> {
            int n = lena[lenOff + bi];
            for (int t = 0; t < n; t++) {
                int r = (bi * stride + P + t) * co, c = ws.row(bi, t) * co;
                for (int col = 0; col < co; col++)
                    dy[c + col] = Float.intBitsToFloat(Float.floatToRawIntBits(douta[doutOff + r + col]) & reluMask(outa[outOff + r + col]));
            }
            zeroDroppedRows(ws, bi, n, dy, co);
        });
        gradientProducts(s, B, T, len, w, dx, dw, db, ws, weightsVersion);
    }

    /** All ones where a ReLU output is positive, zero where it is 0 (ReLU outputs are never negative). */
    private static int reluMask(float out) {
        int ob = Float.floatToRawIntBits(out);
        return (ob | -ob) >> 31;
    }

    /**
     * {@link StatPool#backward} fused with {@link #backward}, for an output whose only consumer is its pooling
     * (SPU or MAX): dY is computed from the pooled gradient directly,
     * {@code dY[t] = ReLU'(out[t]) (dmean/n + dstd (out[t] - mean) / (n std) + [t = argmax] dmax)}, without writing
     * and reading back the gradient of the whole output.
     */
    public static void backwardStatPool(ConvShape s, Pooling st, int B, int T, CpuFloats x, CpuInts len, CpuFloats[] w,
                                        CpuFloats out, CpuFloats pooled, int pStride, CpuInts argmax, CpuFloats dpooled,
                                        CpuFloats dx, CpuFloats[] dw, CpuFloats[] db, Workspace ws, long weightsVersion) {
        int[] lena = len.array(), ama = argmax.array();
        float[] outa = out.array(), pa = pooled.array(), dpa = dpooled.array();
        int lenOff = len.offset(), outOff = out.offset(), pOff = pooled.offset(), amOff = argmax.offset(), dpOff = dpooled.offset();
        int co = s.cout(), P = s.pad(), stride = T + 2 * P;
        float[] dy = prepareBackward(s, B, T, x, len, ws);
        Parallel.forEach(B, bi -> {
            int n = lena[lenOff + bi], o = bi * pStride;
            zeroDroppedRows(ws, bi, n, dy, co);
            if (n == 0) return;
            float[] dmean = new float[co], coef = new float[co], mean = new float[co];
            if (st == Pooling.SPU)
                for (int col = 0; col < co; col++) {
                    dmean[col] = dpa[dpOff + o + co + col] / n;
                    mean[col] = pa[pOff + o + co + col];
                    coef[col] = dpa[dpOff + o + 2 * co + col] / (n * pa[pOff + o + 2 * co + col]);
                }
            for (int t = 0; t < n; t++) {
                int r = outOff + (bi * stride + P + t) * co, c = ws.row(bi, t) * co;
                for (int col = 0; col < co; col++)
                    dy[c + col] = Float.intBitsToFloat(Float.floatToRawIntBits(dmean[col] + coef[col] * (outa[r + col] - mean[col]))
                            & reluMask(outa[r + col]));
            }
            for (int col = 0; col < co; col++) {                     // the max passes its gradient to its first position
                int t = ama[amOff + bi * co + col];
                if (outa[outOff + (bi * stride + P + t) * co + col] > 0f) dy[ws.row(bi, t) * co + col] += dpa[dpOff + o + col];
            }
        });
        gradientProducts(s, B, T, len, w, dx, dw, db, ws, weightsVersion);
    }

    /**
     * Numbers the valid rows (or the tiles), sizes Y and gathers the input's rows (Winograd: transforms the input
     * into V), remembering which input they came from.
     */
    private static void prepareInput(Workspace ws, int B, int T, CpuFloats x, CpuInts len) {
        int rows = ws.n = ws.winograd != null ? ConvWinograd.plan(ws, B, len) : ws.number(B, len);
        ws.y = Workspace.grow(ws.y, (long) rows * ws.shape.cout());
        if (ws.winograd != null) {
            ConvWinograd.transformInput(ws, B, T, x, len);
        } else {
            ws.cols = Workspace.grow(ws.cols, ws.colsSize(rows));
            gather(ws, B, T, x, len);
        }
        ws.colsOf = x.array();
        ws.colsOff = x.offset();
        ws.colsB = B;
        ws.colsT = T;
    }

    /** The compact dY buffer, after making sure the workspace holds the forward's gathered rows of this input. */
    private static float[] prepareBackward(ConvShape s, int B, int T, CpuFloats x, CpuInts len, Workspace ws) {
        if (ws.colsOf != x.array() || ws.colsOff != x.offset() || ws.colsB != B || ws.colsT != T) prepareInput(ws, B, T, x, len);
        if (ws.winograd == null) ws.colsOf = null;        // the gathered rows are overwritten by dXg below (V is not)
        return ws.y;
    }

    /** Zeroes utterance b's rows of dY past its length n: the dropped outputs of its last Winograd tile. */
    private static void zeroDroppedRows(Workspace ws, int b, int n, float[] dy, int co) {
        for (int t = n; t < ws.rows(n); t++) Arrays.fill(dy, ws.row(b, t) * co, (ws.row(b, t) + 1) * co, 0f);
    }

    /** From the compact dY in the workspace: {@code db = 1^T dY}, {@code dWg^T = dY^T Xg}, {@code dx += scatter(dY Wg^T)}. */
    private static void gradientProducts(ConvShape s, int B, int T, CpuInts len, CpuFloats[] w, CpuFloats dx,
                                         CpuFloats[] dw, CpuFloats[] db, Workspace ws, long weightsVersion) {
        int[] lena = len.array();
        float[] dxa = dx == null ? null : dx.array();
        int lenOff = len.offset(), dxOff = dx == null ? 0 : dx.offset();
        int ci = s.cin(), co = s.cout(), f = s.filters(), P = s.pad(), stride = T + 2 * P, n = ws.n;
        float[] cols = ws.cols, dy = ws.y;
        if (ws.winograd != null) {
            packIfChanged(ws, w, weightsVersion);
            ConvWinograd.gradients(ws, B, T, len, dy, dx, dw, db);
            return;
        }
        if (n == 0) return;
        // db = ones^T . dY, one matrix-vector product through the same sgemm
        if (ws.ones.length < n) {
            ws.ones = new float[n];
            Arrays.fill(ws.ones, 1f);
        }
        Sgemm.sgemm(false, false, 1, co, n, 1f, ws.ones, 0, n, dy, 0, co, 0f, ws.colSums, 0, co);
        for (int col = 0; col < co; col++) db[col / f].array()[db[col / f].offset() + col % f] += ws.colSums[col];
        packIfChanged(ws, w, weightsVersion);
        long base = 0;
        int wOffset = 0;
        for (Group g : ws.groups) {
            int K = g.k(ci), width = g.run().width();
            // dWg^T = dY[:, run]^T . Xg
            Sgemm.sgemm(true, false, width, K, n, 1f, dy, g.run().c0(), co, cols, (int) base, K, 0f, ws.dwg, wOffset, K);
            if (dxa != null) {
                // dXg = dY[:, run] . Wg^T, into Xg's place, then added back to the rows it was gathered from;
                // rows of different utterances never meet (|d| <= P), so utterances run in parallel
                Sgemm.sgemm(false, true, n, K, width, 1f, dy, g.run().c0(), co, ws.wg, wOffset, width, 0f, cols, (int) base, K);
                int[] ds = g.offsets();
                long gb = base;
                Parallel.forEach(B, b -> {
                    for (int t = 0, c = ws.start[b]; t < lena[lenOff + b]; t++, c++)
                        for (int i = 0; i < ds.length; i++) {
                            int src = (int) (gb + (long) c * K + i * ci), dst = dxOff + (b * stride + P + t + ds[i]) * ci;
                            for (int k = 0; k < ci; k++) dxa[dst + k] += cols[src + k];
                        }
                });
            }
            base += (long) n * K;
            wOffset += K * width;
        }
        unpackAdd(ws, dw);
    }

    // ---- naive twin, double precision: the definition above, loop by loop ----

    public static void naiveForward(ConvShape s, int B, int T, double[] x, int[] len,
                                    double[][] w, double[][] bias, double[] out) {
        int ci = s.cin(), co = s.cout(), f = s.filters(), P = s.pad(), stride = T + 2 * P;
        int[] ks = s.kernels();
        Arrays.fill(out, 0, B * stride * co, 0.0);
        for (int b = 0; b < B; b++)
            for (int t = 0; t < len[b]; t++)
                for (int k = 0; k < ks.length; k++)
                    for (int o = 0; o < f; o++) {
                        double acc = bias[k][o];
                        for (int j = 0; j < ks[k]; j++) {
                            int tt = t - ConvShape.left(ks[k]) + j;
                            if (tt < 0 || tt >= len[b]) continue;
                            for (int c = 0; c < ci; c++)
                                acc += w[k][(o * ci + c) * ks[k] + j] * x[(b * stride + P + tt) * ci + c];
                        }
                        out[(b * stride + P + t) * co + k * f + o] = Math.max(0.0, acc);
                    }
    }

    /** Adds into dx (unless null), dw and db; does not modify dout. */
    public static void naiveBackward(ConvShape s, int B, int T, double[] x, int[] len, double[][] w,
                                     double[] out, double[] dout, double[] dx, double[][] dw, double[][] db) {
        int ci = s.cin(), co = s.cout(), f = s.filters(), P = s.pad(), stride = T + 2 * P;
        int[] ks = s.kernels();
        for (int b = 0; b < B; b++)
            for (int t = 0; t < len[b]; t++)
                for (int k = 0; k < ks.length; k++)
                    for (int o = 0; o < f; o++) {
                        int r = (b * stride + P + t) * co + k * f + o;
                        if (!(out[r] > 0)) continue;                // ReLU passes gradient where it is active
                        double g = dout[r];
                        db[k][o] += g;
                        for (int j = 0; j < ks[k]; j++) {
                            int tt = t - ConvShape.left(ks[k]) + j;
                            if (tt < 0 || tt >= len[b]) continue;
                            for (int c = 0; c < ci; c++) {
                                int xi = (b * stride + P + tt) * ci + c, wi = (o * ci + c) * ks[k] + j;
                                dw[k][wi] += g * x[xi];
                                if (dx != null) dx[xi] += g * w[k][wi];
                            }
                        }
                    }
    }
}
