package dev.ser4j.cpu;

import dev.ser4j.backend.ConvShape;

import java.util.Arrays;

/**
 * conv1d by fast (Winograd-style) filtering: the multi-scale "same" convolution of {@link Conv} computed tile by tile
 * as the bilinear algorithm {@code y = AT [(G w) . (BT s)]} (Winograd, "Arithmetic complexity of computations",
 * 1980; Lavin and Gray, "Fast algorithms for convolutional neural networks", 2016).
 * <pre>
 *   one window for all kernel sizes: taps j = 0..r-1 read offset d = lo + j (lo = minOffset, r = maxOffset - lo + 1);
 *   kernel k's taps sit at their "same" offsets, the others are zero (the four audio kernels share one 11-tap window)
 *   tile: m = L - r + 1 outputs t0..t0+m-1 from the L inputs s[l] = x[t0 + lo + l]; y[t0+i] = sum_j w[j] s[i+j]
 *   BT [P, L] input transform, G [P, r] weight transform, AT [m, P] output transform
 *   V[p, tile, c] = sum_l BT[p,l] s_tile[l, c]                     (one sgemm over all tiles: [P,L] x [L, tiles*Ci])
 *   U[p, c, o]    = sum_j G[p,j] w[j, c, o]                        (one sgemm: [P,r] x [r, Ci*Co])
 *   M[p]          = V[p] . U[p]                                    (P sgemms [tiles, Ci] x [Ci, Co]: the work)
 *   Y[i, tile, o] = sum_p AT[i,p] M[p, tile, o]                    (one sgemm: [m,P] x [P, tiles*Co])
 * </pre>
 * Backward is the transpose of each step: {@code dM = AT^T dY}, {@code dU[p] = V[p]^T dM[p]}, {@code dw = G^T dU},
 * {@code dV[p] = dM[p] U[p]^T}, {@code ds = BT^T dV}, the tiles' {@code ds} added back to the rows they were read from
 * (tiles overlap by r - 1 rows). The direct convolution costs {@code 2 Ci F sum(s_k)} flops per output row; this one
 * {@code 2 Ci Co P / m} in the products plus {@code 2 Co P + 2 Ci P L / m} in the transforms.
 *
 * <p><b>The points.</b> Toom-Cook's real interpolation points (0, +-1, +-2, +-1/2, ..., infinity) make F(m, 11) too
 * inaccurate in float: 1.5e-5 relative error at m = 1, 2.2e-4 at m = 3, 2.6e-2 at m = 8, against the bound of 1e-5
 * (see {@code ConvWinogradTest}). The points used here are the L-th roots of unity, the best conditioned there are: the
 * transforms are the real and imaginary parts of a length-L DFT (overlap-save), and the product at each conjugate
 * pair of points (bin k = 1 .. L/2-1) is one complex multiplication done with three real ones (Gauss):
 * <pre>
 *   S_k = a + ib = sum_l s[l] e^{-2 pi i k l / L},   conj(W_k) = c + id = sum_j w[j] e^{+2 pi i k j / L}
 *   Z_k = conj(W_k) S_k:  k1 = c (a + b),  k2 = a (d - c),  k3 = b (c + d);  Re Z_k = k1 - k3,  Im Z_k = k1 + k2
 *   y[i] = (Z_0 + (-1)^i Z_{L/2} + 2 sum_k (Re Z_k cos(2 pi k i / L) - Im Z_k sin(2 pi k i / L))) / L
 * </pre>
 * so P = 3 (L/2 - 1) + 2 = 3L/2 - 1 products per tile of m = L - r + 1 outputs. With L = 32 and the audio window
 * (r = 11): 47 products for 22 outputs, 2.14 per output against 8 (the mean kernel size) for the direct
 * convolution; float error as the direct path's. The transforms are computed in double with {@link StrictMath}
 * and rounded once, so every platform gets the same bits.
 *
 * <p><b>Layout.</b> Tiles are numbered utterance by utterance ({@code ceil(len/m)} each; outputs past the length
 * are computed and dropped, inputs outside {@code [0, len)} read as zero), and processed in chunks of at most
 * {@link #CHUNK_TILES} tiles so that a chunk's products stay in cache. The outputs of a chunk starting at tile
 * {@code t0} with {@code n} tiles are rows {@code t0 m + i n + (tile - t0)} of the compact output Y
 * ({@link Conv.Workspace#row}): the forward's scatter and the backward's gather read and write them there.
 */
final class ConvWinograd {
    private ConvWinograd() {}

    /**
     * Tiles per chunk. Smaller chunks keep a chunk's products M [P, n, Co] in cache but make the P products thinner
     * sgemms; on the audio convolution of a training batch (one thread), 32 tiles took 1.13x the time of 256, 64
     * 1.08x, 128 1.04x, 512 and unlimited the same as 256. 256 audio tiles are 47 MB of M.
     */
    static final int CHUNK_TILES = 256;

    /**
     * The bilinear algorithm of one tile: L input points, r taps, m = L - r + 1 outputs, P products;
     * {@code bt [P, L]}, {@code g [P, r]} (the 1/L of the inverse transform included), {@code at [m, P]}, row-major.
     */
    record Transform(int points, int taps, int outputs, int products, float[] bt, float[] g, float[] at) {
        /** Overlap-save with an L-point DFT and Gauss's 3-multiplication complex products; L even, L >= r + 1. */
        static Transform fourier(int L, int r) {
            if (L % 2 != 0 || L < r + 1) throw new IllegalArgumentException("tile of " + L + " points for " + r + " taps");
            int m = L - r + 1, P = 3 * (L / 2 - 1) + 2;
            double[][] bt = new double[P][L], g = new double[P][r], at = new double[m][P];
            // bins 0 and L/2 are real: one product each
            for (int l = 0; l < L; l++) {
                bt[0][l] = 1;
                bt[1][l] = (l & 1) == 0 ? 1 : -1;
            }
            for (int j = 0; j < r; j++) {
                g[0][j] = 1.0 / L;
                g[1][j] = ((j & 1) == 0 ? 1.0 : -1.0) / L;
            }
            for (int i = 0; i < m; i++) {
                at[i][0] = 1;
                at[i][1] = (i & 1) == 0 ? 1 : -1;
            }
            for (int k = 1; k < L / 2; k++) {
                int p = 2 + 3 * (k - 1);
                for (int l = 0; l < L; l++) {
                    double a = cos(k, l, L), b = -sin(k, l, L);
                    bt[p][l] = a + b;
                    bt[p + 1][l] = a;
                    bt[p + 2][l] = b;
                }
                for (int j = 0; j < r; j++) {
                    double c = cos(k, j, L), d = sin(k, j, L);
                    g[p][j] = 2 * c / L;
                    g[p + 1][j] = 2 * (d - c) / L;
                    g[p + 2][j] = 2 * (c + d) / L;
                }
                for (int i = 0; i < m; i++) {
                    double cs = cos(k, i, L), sn = sin(k, i, L);
                    at[i][p] = cs - sn;                              // k1 feeds Re and Im
                    at[i][p + 1] = -sn;                              // k2 feeds Im
                    at[i][p + 2] = -cs;                              // k3 feeds Re
                }
            }
            return new Transform(L, r, m, P, flat(bt), flat(g), flat(at));
        }

        /** cos(2 pi k n / L) with the argument reduced exactly (k n mod L), so symmetric entries are equal. */
        private static double cos(int k, int n, int L) {
            return StrictMath.cos(2 * Math.PI * ((long) k * n % L) / L);
        }

        private static double sin(int k, int n, int L) {
            return StrictMath.sin(2 * Math.PI * ((long) k * n % L) / L);
        }

        private static float[] flat(double[][] a) {
            float[] f = new float[a.length * a[0].length];
            for (int i = 0; i < a.length; i++)
                for (int j = 0; j < a[i].length; j++) f[i * a[i].length + j] = (float) a[i][j];
            return f;
        }
    }

    /** The Winograd part of a {@link Conv.Workspace}: transformed weights, the forward's V, per-chunk buffers. */
    static final class State {
        final Transform tf;
        final int lo;                                    // offset read by tap 0
        final float[] wp, dwp, u, du;                    // wp, dwp [r, Ci*Co]: window weights, their gradient; u, du [P, Ci*Co]
        float[] v = new float[0], xg = new float[0], mc = new float[0], dv = new float[0];
        int[] tapLive = new int[0];                      // [r, Co]: nonzero where a tap's gradient has a nonzero term
        boolean[] rowLive = new boolean[0];              // by row of Y: whether dY's row has a nonzero
        int[] tileStart = new int[0];                    // tileStart[b]: the first tile of utterance b; [B] = all tiles
        int[] chunkB = new int[0];                       // chunk q holds utterances chunkB[q] .. chunkB[q+1]-1
        int chunks, tiles;

        State(ConvShape s, int points) {
            this.lo = s.minOffset();
            this.tf = Transform.fourier(points, s.maxOffset() - lo + 1);
            long cc = (long) s.cin() * s.cout();
            this.wp = new float[Math.toIntExact(tf.taps() * cc)];
            this.dwp = new float[wp.length];
            this.u = new float[Math.toIntExact(tf.products() * cc)];
            this.du = new float[u.length];
        }
    }

    /**
     * Numbers the tiles and chunks of a batch and sets the workspace's row map; returns the rows of the compact
     * output ({@code tiles * m}, the valid rows and the dropped ones).
     */
    static int plan(Conv.Workspace ws, int B, CpuInts len) {
        State st = ws.winograd;
        int m = st.tf.outputs();
        int[] lena = len.array();
        int lenOff = len.offset();
        if (st.tileStart.length < B + 1) {
            st.tileStart = new int[B + 1];
            st.chunkB = new int[B + 1];
            ws.rowBase = new int[B];
            ws.rowStride = new int[B];
        }
        for (int b = 0; b < B; b++) st.tileStart[b + 1] = st.tileStart[b] + (lena[lenOff + b] + m - 1) / m;
        st.tiles = st.tileStart[B];
        // chunks: consecutive utterances, at most CHUNK_TILES tiles unless one utterance has more
        int q = 0;
        st.chunkB[0] = 0;
        for (int b = 0; b < B; b++)
            if (b > st.chunkB[q] && st.tileStart[b + 1] - st.tileStart[st.chunkB[q]] > CHUNK_TILES) st.chunkB[++q] = b;
        st.chunkB[++q] = B;
        st.chunks = q;
        for (int c = 0; c < st.chunks; c++) {
            int t0 = st.tileStart[st.chunkB[c]], n = st.tileStart[st.chunkB[c + 1]] - t0;
            for (int b = st.chunkB[c]; b < st.chunkB[c + 1]; b++) {
                ws.rowBase[b] = t0 * m + st.tileStart[b] - t0;
                ws.rowStride[b] = n;
            }
        }
        ws.tileOutputs = m;
        return st.tiles * m;
    }

    private static int chunkTiles(State st) {
        int most = 0;
        for (int c = 0; c < st.chunks; c++) most = Math.max(most, st.tileStart[st.chunkB[c + 1]] - st.tileStart[st.chunkB[c]]);
        return most;
    }

    /** {@code wp[j, c, col]}: kernel col/F's weight for offset lo + j, zero where the kernel does not reach it. */
    static void pack(Conv.Workspace ws, CpuFloats[] w) {
        State st = ws.winograd;
        ConvShape s = ws.shape;
        int ci = s.cin(), co = s.cout(), f = s.filters(), r = st.tf.taps();
        int[] ks = s.kernels();
        Parallel.forEach(r, j -> {
            int d = st.lo + j;
            for (int k = 0; k < ks.length; k++) {
                int tap = d + ConvShape.left(ks[k]);
                boolean reaches = tap >= 0 && tap < ks[k];
                float[] wk = w[k].array();
                int wo = w[k].offset(), ksz = ks[k];
                for (int c = 0; c < ci; c++) {
                    int dst = (j * ci + c) * co + k * f;
                    if (!reaches) {
                        Arrays.fill(st.wp, dst, dst + f, 0f);
                        continue;
                    }
                    for (int o = 0; o < f; o++) st.wp[dst + o] = wk[wo + (o * ci + c) * ksz + tap];
                }
            }
        });
        Sgemm.sgemm(false, false, st.tf.products(), ci * co, r, 1f, st.tf.g(), 0, r, st.wp, 0, ci * co, 0f, st.u, 0, ci * co);
    }

    /**
     * Adds {@code dwp} (in {@code wp}'s layout) into the PyTorch-layout gradients of the taps each kernel has, except
     * where {@link #support} found no nonzero term: there the gradient is exactly zero.
     */
    private static void unpackAdd(Conv.Workspace ws, float[] dwp, CpuFloats[] dw) {
        State st = ws.winograd;
        ConvShape s = ws.shape;
        int ci = s.cin(), co = s.cout(), f = s.filters();
        int[] ks = s.kernels();
        Parallel.forEach(ks.length, k -> {
            float[] dwk = dw[k].array();
            int wo = dw[k].offset(), ksz = ks[k];
            for (int tap = 0; tap < ksz; tap++) {
                int j = tap - ConvShape.left(ksz) - st.lo;
                int live = j * co + k * f;
                for (int c = 0; c < ci; c++) {
                    int src = (j * ci + c) * co + k * f;
                    for (int o = 0; o < f; o++) if (st.tapLive[live + o] != 0) dwk[wo + (o * ci + c) * ksz + tap] += dwp[src + o];
                }
            }
        });
    }

    /**
     * The input transform of every chunk into {@code V [P, tiles, Ci]}: each tile's L rows gathered (zero outside
     * the utterance), then one sgemm per chunk.
     */
    static void transformInput(Conv.Workspace ws, int B, int T, CpuFloats x, CpuInts len) {
        State st = ws.winograd;
        int ci = ws.shape.cin(), L = st.tf.points(), P = st.tf.products();
        long vSize = (long) P * st.tiles * ci;
        st.v = grow(st.v, vSize);
        st.xg = grow(st.xg, (long) L * chunkTiles(st) * ci);
        for (int c = 0; c < st.chunks; c++) {
            int t0 = st.tileStart[st.chunkB[c]], n = st.tileStart[st.chunkB[c + 1]] - t0;
            gatherTiles(ws, c, T, x, len);
            Sgemm.sgemm(false, false, P, n * ci, L, 1f, st.tf.bt(), 0, L, st.xg, 0, n * ci, 0f, st.v, t0 * ci, st.tiles * ci);
        }
    }

    /** {@code xg[l, tile - t0, :] = x[b, tile's first input + l, :]} for chunk c, zero outside {@code [0, len)}. */
    private static void gatherTiles(Conv.Workspace ws, int c, int T, CpuFloats x, CpuInts len) {
        State st = ws.winograd;
        float[] xa = x.array(), xg = st.xg;
        int[] lena = len.array();
        int xOff = x.offset(), lenOff = len.offset();
        int ci = ws.shape.cin(), P = ws.shape.pad(), stride = T + 2 * P, L = st.tf.points(), m = st.tf.outputs();
        int t0 = st.tileStart[st.chunkB[c]], n = st.tileStart[st.chunkB[c + 1]] - t0;
        Parallel.forEach(st.chunkB[c + 1] - st.chunkB[c], i -> {
            int b = st.chunkB[c] + i, len_b = lena[lenOff + b];
            for (int tile = st.tileStart[b]; tile < st.tileStart[b + 1]; tile++) {
                int first = (tile - st.tileStart[b]) * m + st.lo;
                for (int l = 0; l < L; l++) {
                    int t = first + l, dst = (l * n + tile - t0) * ci;
                    if (t >= 0 && t < len_b) System.arraycopy(xa, xOff + (b * stride + P + t) * ci, xg, dst, ci);
                    else Arrays.fill(xg, dst, dst + ci, 0f);
                }
            }
        });
    }

    /** The pre-activations of every tile row into {@code y [tiles*m, Co]} (the row map's layout); V must be current. */
    static void products(Conv.Workspace ws, float[] y) {
        State st = ws.winograd;
        int ci = ws.shape.cin(), co = ws.shape.cout(), P = st.tf.products(), m = st.tf.outputs();
        st.mc = grow(st.mc, (long) P * chunkTiles(st) * co);
        for (int c = 0; c < st.chunks; c++) {
            int t0 = st.tileStart[st.chunkB[c]], n = st.tileStart[st.chunkB[c + 1]] - t0;
            for (int p = 0; p < P; p++)
                Sgemm.sgemm(false, false, n, co, ci, 1f, st.v, (p * st.tiles + t0) * ci, ci, st.u, p * ci * co, co,
                        0f, st.mc, p * n * co, co);
            Sgemm.sgemm(false, false, m, n * co, P, 1f, st.tf.at(), 0, P, st.mc, 0, n * co, 0f, y, t0 * m * co, n * co);
        }
    }

    /**
     * From {@code dy [tiles*m, Co]} (rows past each utterance's length zero): {@code db}, {@code dw} and, unless
     * {@code dx} is null, {@code dx} (added into the valid rows only). V must hold the forward's input transform.
     */
    static void gradients(Conv.Workspace ws, int B, int T, CpuInts len, float[] dy, CpuFloats dx, CpuFloats[] dw, CpuFloats[] db) {
        State st = ws.winograd;
        ConvShape s = ws.shape;
        int ci = s.cin(), co = s.cout(), f = s.filters(), P = st.tf.products(), m = st.tf.outputs(), L = st.tf.points(),
                r = st.tf.taps(), rows = st.tiles * m;
        if (st.tiles == 0) return;
        if (ws.ones.length < rows) {
            ws.ones = new float[rows];
            Arrays.fill(ws.ones, 1f);
        }
        Sgemm.sgemm(false, false, 1, co, rows, 1f, ws.ones, 0, rows, dy, 0, co, 0f, ws.colSums, 0, co);
        for (int col = 0; col < co; col++) db[col / f].array()[db[col / f].offset() + col % f] += ws.colSums[col];
        support(ws, B, len, dy);
        int most = chunkTiles(st);
        st.mc = grow(st.mc, (long) P * most * co);
        if (dx != null) {
            st.dv = grow(st.dv, (long) P * most * ci);
            st.xg = grow(st.xg, (long) L * most * ci);
        }
        for (int c = 0; c < st.chunks; c++) {
            int t0 = st.tileStart[st.chunkB[c]], n = st.tileStart[st.chunkB[c + 1]] - t0;
            // dM [P, n*Co] = AT^T dY
            Sgemm.sgemm(true, false, P, n * co, m, 1f, st.tf.at(), 0, P, dy, t0 * m * co, n * co, 0f, st.mc, 0, n * co);
            for (int p = 0; p < P; p++) {
                // dU[p] += V[p]^T dM[p]
                Sgemm.sgemm(true, false, ci, co, n, 1f, st.v, (p * st.tiles + t0) * ci, ci, st.mc, p * n * co, co,
                        c == 0 ? 0f : 1f, st.du, p * ci * co, co);
                // dV[p] = dM[p] U[p]^T
                if (dx != null)
                    Sgemm.sgemm(false, true, n, ci, co, 1f, st.mc, p * n * co, co, st.u, p * ci * co, co, 0f, st.dv, p * n * ci, ci);
            }
            if (dx != null) {
                // ds [L, n*Ci] = BT^T dV, added back to the rows each tile read
                Sgemm.sgemm(true, false, L, n * ci, P, 1f, st.tf.bt(), 0, L, st.dv, 0, n * ci, 0f, st.xg, 0, n * ci);
                scatterAddTiles(ws, c, T, len, dx);
            }
        }
        // dwp [r, Ci*Co] = G^T dU, into the kernels' taps
        Sgemm.sgemm(true, false, r, ci * co, P, 1f, st.tf.g(), 0, r, st.du, 0, ci * co, 0f, st.dwp, 0, ci * co);
        unpackAdd(ws, st.dwp, dw);
    }

    /** {@code dx[b, t] += xg[l, tile - t0]} for the valid rows t of chunk c's tiles; tiles of an utterance in order. */
    private static void scatterAddTiles(Conv.Workspace ws, int c, int T, CpuInts len, CpuFloats dx) {
        State st = ws.winograd;
        float[] dxa = dx.array(), xg = st.xg;
        int[] lena = len.array();
        int dxOff = dx.offset(), lenOff = len.offset();
        int ci = ws.shape.cin(), P = ws.shape.pad(), stride = T + 2 * P, L = st.tf.points(), m = st.tf.outputs();
        int t0 = st.tileStart[st.chunkB[c]], n = st.tileStart[st.chunkB[c + 1]] - t0;
        Parallel.forEach(st.chunkB[c + 1] - st.chunkB[c], i -> {
            int b = st.chunkB[c] + i, len_b = lena[lenOff + b];
            for (int tile = st.tileStart[b]; tile < st.tileStart[b + 1]; tile++) {
                int first = (tile - st.tileStart[b]) * m + st.lo;
                for (int l = Math.max(0, -first); l < L && first + l < len_b; l++) {
                    if (!inputLive(ws, b, first + l, len_b)) continue;
                    int src = (l * n + tile - t0) * ci, dst = dxOff + (b * stride + P + first + l) * ci;
                    for (int k = 0; k < ci; k++) dxa[dst + k] += xg[src + k];
                }
            }
        });
    }

    /**
     * Which gradients have a nonzero term. A tap's weight gradient {@code sum_t dy[t] x[t + d]} is exactly zero in the
     * direct product when every row t with a nonzero dy reads padding at t + d (short utterances, filters active only
     * near an edge); through the transforms it would be rounding noise of ~1e-8 of the largest gradient instead, and
     * Adam, which divides by the gradient's own size, would take a full step on that noise. So a tap with no nonzero
     * term keeps its exact zero: {@code tapLive[j, o]} is nonzero iff some utterance has a row t < len with
     * {@code dy[t, o] != 0} and {@code 0 <= t + lo + j < len}; and {@code rowLive} marks the rows of dY with a nonzero,
     * so that an input row whose window of outputs is all zero gets an exact zero in dx.
     */
    private static void support(Conv.Workspace ws, int B, CpuInts len, float[] dy) {
        State st = ws.winograd;
        int co = ws.shape.cout(), r = st.tf.taps(), lo = st.lo, edge = Math.max(-lo, lo + r - 1);
        int[] lena = len.array();
        int lenOff = len.offset();
        if (st.tapLive.length < r * co) st.tapLive = new int[r * co];
        if (st.rowLive.length < st.tiles * st.tf.outputs()) st.rowLive = new boolean[st.tiles * st.tf.outputs()];
        int[][] perUtterance = new int[B][];
        Parallel.forEach(B, b -> {
            int n = lena[lenOff + b];
            int[] live = new int[r * co], core = new int[co];
            for (int t = 0; t < n; t++) {
                int row = ws.row(b, t), base = row * co, any = 0;
                for (int o = 0; o < co; o++) any |= Float.floatToRawIntBits(dy[base + o]) & 0x7fffffff;
                st.rowLive[row] = any != 0;
                if (any == 0) continue;
                if (t >= edge && t < n - edge) {                       // every tap reads inside the utterance
                    for (int o = 0; o < co; o++) core[o] |= Float.floatToRawIntBits(dy[base + o]) & 0x7fffffff;
                    continue;
                }
                for (int j = 0; j < r; j++)
                    if (t + lo + j >= 0 && t + lo + j < n)
                        for (int o = 0; o < co; o++) live[j * co + o] |= Float.floatToRawIntBits(dy[base + o]) & 0x7fffffff;
            }
            for (int j = 0; j < r; j++)
                for (int o = 0; o < co; o++) live[j * co + o] |= core[o];
            perUtterance[b] = live;
        });
        Arrays.fill(st.tapLive, 0);
        for (int[] live : perUtterance)
            for (int i = 0; i < r * co; i++) st.tapLive[i] |= live[i];
    }

    /** Whether input row t of utterance b (length n) feeds an output row of dY with a nonzero ({@link #support}). */
    private static boolean inputLive(Conv.Workspace ws, int b, int t, int n) {
        State st = ws.winograd;
        int hi = st.lo + st.tf.taps() - 1;
        for (int out = Math.max(0, t - hi); out <= Math.min(n - 1, t - st.lo); out++) if (st.rowLive[ws.row(b, out)]) return true;
        return false;
    }

    private static float[] grow(float[] a, long n) {
        return a.length >= n ? a : new float[Math.toIntExact(n)];
    }
}
