package dev.kbyoc.runtime.kernels;

/**
 * A planned NCHW / OIHW float32 convolution (any stride, padding, dilation and groups) on raw
 * arrays, run as {@link Gemm} per group with M = output channels of the group, K = its input
 * channels times the window, and the output positions as columns. How the columns are laid out
 * depends on the geometry, chosen once here:
 * <ul>
 *   <li>{@code POINTWISE} (1x1, stride 1, no padding): B is the input itself; C is the output.
 *   <li>Otherwise the input is first zero-padded and split into stride phases: phase (py, px) of
 *       a channel holds the padded input at rows {@code i*sh + py} and columns {@code j*sw + px},
 *       so the tap (ky, kx) of output (oy, ox) is element (oy + ky*dh/sh, ox + kx*dw/sw) of one
 *       phase plane and every tap is a window of a plane (an implicit im2col; stride 1 has one
 *       phase, the plain padded input). Then {@code ROWS} (output width a multiple of 32): one
 *       product per output row, C is the output; {@code PAIRS} (output width one vector, with
 *       the Vector API): one product per two output rows, the second row's vector read one phase
 *       row further ({@link VectorGemm#run} with {@code second} = the phase width), C is the
 *       output; {@code WIDE}: one product over the whole plane at the phase width, whose columns
 *       past the output width are dropped when copying out.
 * </ul>
 * Each output's sum runs in the reference's order (input channel, kernel row, kernel column) with
 * float fused multiply-adds, so the results are bit-identical to the reference convolution.
 * Padding adds exact zeros, which is only equal to skipping the tap when every weight is finite;
 * otherwise (the NaN/infinity corner only) {@link SkippingConv} computes it as the reference
 * does. The parallel jobs ({@link Parallel}) are bands of output rows, one per thread, each
 * computing every output channel of its rows from its own phase planes.
 */
public final class Conv2dF32 {
  private static final int POINTWISE = 0;
  private static final int ROWS = 1;
  private static final int WIDE = 2;
  private static final int PAIRS = 3;
  /** Output channels the wide layout computes and copies out at a time. */
  private static final int BLOCK = 8;
  /** Extra floats after the phase planes so vector loads of the last window stay in bounds. */
  private static final int SLACK = 64;
  /**
   * Stride-2 phase rows at least this wide (one vector) are split in pairs by vector deinterleaving;
   * other strided splits go through a precomputed map (a few elements per row leave nothing for
   * row-wise code to gain, and its per-row bookkeeping dominated MobileNet's depthwise layers).
   */
  private static final int WIDE_PHASE = 16;

  private final Geo g;
  private final int batches;
  private final int groups;
  private final int mode;
  private final int k;
  /** Horizontal bands of output rows (column ranges for pointwise): the parallel jobs. */
  private final int bands;
  /** Output rows per band (the last may have fewer). */
  private final int bandRows;
  /** Phase plane height (a band's rows plus the window's overhang) and width. */
  private final int hq;
  private final int wq;
  /** Columns per product: H*W (pointwise), outW (rows), 2 outW (pairs), or a band of the wide plane rounded up. */
  private final int n;
  private final int[] bOff;
  private final boolean[] usedPy;
  private final boolean[] usedPx;
  /** Floats of one band's phase planes plus read slack, and of its whole scratch region. */
  private final int padSize;
  private final int bandSize;
  /**
   * Per band, for a strided split that vectors do not serve: pairs (phase-plane offset, input
   * offset) of every input element the band's planes hold, both relative to one channel (the same
   * for every channel); else null.
   */
  private final int[][] splitMap;

  /** Plans the convolution; shapes are NCHW input, OIHW weight, NCHW output; top / left padding. */
  public Conv2dF32(int[] in, int[] weight, int[] out, int[] strides, int[] dilation, int top, int left, int groups) {
    this(in, weight, out, strides, dilation, top, left, groups,
        (long) out[1] * out[2] * out[3] * weight[1] * weight[2] * weight[3] < Parallel.MIN_PARALLEL_WORK ? 1
            : Parallel.threads());
  }

  /**
   * The same plan split into at most {@code maxBands} bands: one per thread, or one when the layer
   * is too small for {@link Parallel} to split (more bands would only repeat the per-call work).
   * Tests vary it.
   */
  Conv2dF32(int[] in, int[] weight, int[] out, int[] strides, int[] dilation, int top, int left, int groups,
      int maxBands) {
    this.groups = groups;
    this.batches = in[0];
    int inPg = weight[1];
    this.g = new Geo(in[1], in[2], in[3], inPg, weight[2], weight[3], weight[0] / groups, out[1], out[2], out[3],
        strides[0], strides[1], dilation[0], dilation[1], top, left);
    this.k = inPg * g.kh() * g.kw();
    this.bOff = new int[k];
    this.usedPy = new boolean[g.sh()];
    this.usedPx = new boolean[g.sw()];
    boolean stride1 = g.sh() == 1 && g.sw() == 1;
    if (stride1 && g.kh() == 1 && g.kw() == 1 && top == 0 && left == 0 && g.outH() == g.inH() && g.outW() == g.inW()) {
      mode = POINTWISE;
      hq = g.inH();
      wq = g.inW();
      n = hq * wq;
      bands = Math.max(1, Math.min(maxBands, n / 32));
      bandRows = 0;
      for (int i = 0; i < k; i++) {
        bOff[i] = i * n;
      }
      padSize = 0;
      bandSize = 0;
      splitMap = null;
      return;
    }
    mode = g.outW() % 32 == 0 ? ROWS : Simd.enabled() && g.outW() == VectorGemm.lanes() ? PAIRS : WIDE;
    bands = Math.max(1, Math.min(maxBands, g.outH()));
    // whole row pairs per band, so that only the last band may end on a single row
    bandRows = mode == PAIRS ? roundUp((g.outH() + bands - 1) / bands, 2) : (g.outH() + bands - 1) / bands;
    hq = bandRows + (g.kh() - 1) * g.dh() / g.sh();
    wq = g.outW() + (g.kw() - 1) * g.dw() / g.sw();
    n = mode == ROWS ? g.outW() : mode == PAIRS ? 2 * g.outW() : roundUp(bandRows * wq, 16);
    for (int ic = 0, i = 0; ic < inPg; ic++) {
      for (int ky = 0; ky < g.kh(); ky++) {
        int py = ky * g.dh() % g.sh();
        usedPy[py] = true;
        for (int kx = 0; kx < g.kw(); kx++) {
          int px = kx * g.dw() % g.sw();
          usedPx[px] = true;
          bOff[i++] = (((ic * g.sh() + py) * g.sw() + px) * hq + ky * g.dh() / g.sh()) * wq + kx * g.dw() / g.sw();
        }
      }
    }
    padSize = g.inC() * g.sh() * g.sw() * hq * wq + n + wq + SLACK;
    bandSize = padSize + (mode == WIDE ? g.outC() * n : 0);
    boolean vectorPairs = g.sw() == 2 && usedPx[0] && usedPx[1] && wq >= WIDE_PHASE;
    splitMap = g.sh() * g.sw() > 1 && !vectorPairs ? new int[bands][] : null;
    for (int band = 0; splitMap != null && band < bands; band++) {
      splitMap[band] = splitMap(Math.min(g.outH(), band * bandRows));
    }
  }

  /** The split map of the band starting at output row r0 (see {@link #splitMap}). */
  private int[] splitMap(int r0) {
    int rows = Math.min(g.outH(), r0 + bandRows) - r0 + hq - bandRows;
    int[] pairs = new int[2 * g.sh() * g.sw() * rows * wq];
    int count = 0;
    for (int py = 0; py < g.sh(); py++) {
      for (int px = 0; px < g.sw(); px++) {
        if (!usedPy[py] || !usedPx[px]) {
          continue;
        }
        for (int i = 0; i < rows; i++) {
          int iy = (r0 + i) * g.sh() + py - g.top();
          for (int j = 0; j < wq; j++) {
            int ix = j * g.sw() + px - g.left();
            if (iy >= 0 && iy < g.inH() && ix >= 0 && ix < g.inW()) {
              pairs[count++] = ((py * g.sw() + px) * hq + i) * wq + j;
              pairs[count++] = iy * g.inW() + ix;
            }
          }
        }
      }
    }
    return java.util.Arrays.copyOf(pairs, count);
  }

  private static int roundUp(int v, int m) {
    return (v + m - 1) / m * m;
  }

  /** The multiply-adds of one run (for the parallel threshold and benchmarks). */
  public long macs() {
    return (long) batches * g.outC() * g.outH() * g.outW() * k;
  }

  /** A zeroed scratch array for {@link #run}, reused across runs; one per concurrent caller, used by no one else. */
  public float[] newScratch() {
    return new float[bands * bandSize];
  }

  /**
   * {@code y = epilogue(conv(x, w))}; {@code scratch} comes from {@link #newScratch()}. The arrays
   * may be longer than the tensors; only their leading elements are read and written.
   */
  public void run(float[] x, float[] w, float[] y, Epilogue e, float[] scratch) {
    if (mode != POINTWISE && !Gemm.allFinite(w, g.outC() * k)) {
      // padding taps would add 0 * inf = NaN where the reference skips them
      SkippingConv.run(x, w, y, g, batches, e);
      return;
    }
    long work = macs() / batches / bands;
    for (int b = 0; b < batches; b++) {
      int batch = b;
      Parallel.forEach(bands, work, band -> band(x, batch, band, w, y, e, scratch));
    }
  }

  /**
   * One job: output rows [r0, r1) of every channel (for pointwise, a range of columns). A band
   * splits its own input rows into its own phase planes, so the threads share no scratch, and the
   * thread that computed a band of one layer usually computes the same band of the next (the first
   * index goes to the caller), whose input rows it then mostly wrote itself.
   */
  private void band(float[] x, int batch, int band, float[] w, float[] y, Epilogue e, float[] scratch) {
    int plane = g.outH() * g.outW();
    int groupIn = g.inPerGroup() * g.sh() * g.sw() * hq * wq;
    int base = band * bandSize;
    int r0 = Math.min(g.outH(), band * bandRows);
    int r1 = Math.min(g.outH(), r0 + bandRows);
    if (mode != POINTWISE) {
      phases(x, batch, band, r0, r1, scratch, base);
    }
    int mg = g.outPerGroup();
    for (int grp = 0; grp < groups; grp++) {
      int ch0 = grp * mg;
      int aOff = ch0 * k;
      int yOff = (batch * g.outC() + ch0) * plane;
      // the layouts that store straight into the output take all the group's channels per call
      // (the product walks them in blocks of 8 over the same columns, which stay in cache)
      if (mode == POINTWISE) {
        int chunk = roundUp((n + bands - 1) / bands, 32);
        int p0 = Math.min(n, band * chunk);
        int p1 = Math.min(n, p0 + chunk);
        Gemm.run(w, aOff, k, 0, mg, x, (batch * g.inC() + grp * g.inPerGroup()) * n + p0, bOff, p1 - p0, y, yOff + p0, n,
            e, ch0);
        continue;
      }
      if (mode == PAIRS) {
        for (int oy = r0; oy < r1; oy += 2) {
          VectorGemm.run(w, aOff, k, 0, mg, scratch, base + grp * groupIn + (oy - r0) * wq, bOff,
              Math.min(2, r1 - oy) * g.outW(), y, yOff + oy * g.outW(), plane, e, ch0, wq);
        }
        continue;
      }
      if (mode == ROWS) {
        for (int oy = r0; oy < r1; oy++) {
          Gemm.run(w, aOff, k, 0, mg, scratch, base + grp * groupIn + (oy - r0) * wq, bOff, n, y, yOff + oy * g.outW(),
              plane, e, ch0);
        }
        continue;
      }
      // wide: the product lands in the scratch, so a residual (at the output's index) and the
      // activation after it are applied while copying out, one block of channels at a time
      boolean residual = e.residual() != null;
      for (int m0 = 0; m0 < mg; m0 += BLOCK) {
        int m1 = Math.min(mg, m0 + BLOCK);
        int c = base + padSize + ch0 * n;
        Gemm.run(w, aOff, k, m0, m1, scratch, base + grp * groupIn, bOff, roundUp((r1 - r0) * wq, 16), scratch, c, n,
            residual ? e.affineOnly() : e, ch0);
        for (int m = m0; m < m1; m++) {
          for (int oy = r0; oy < r1; oy++) {
            int from = c + m * n + (oy - r0) * wq;
            int to = yOff + m * plane + oy * g.outW();
            if (residual) {
              FloatOps.addActivation(scratch, from, e.residual(), y, to, g.outW(), e);
            } else {
              System.arraycopy(scratch, from, y, to, g.outW());
            }
          }
        }
      }
    }
  }

  /**
   * The phase rows output rows [r0, r1) read from batch {@code b}'s input, zero-padded and split
   * into the used stride phases, at {@code base} in the scratch (phase row r0 first). Only the
   * positions that hold input elements are written, the same ones on every run, so the padding
   * positions keep the zeros {@link #newScratch()} allocated them with. A narrow input goes
   * through the band's {@link #splitMap} when it has one, else row by row.
   */
  private void phases(float[] x, int b, int band, int r0, int r1, float[] s, int base) {
    if (splitMap != null) {
      // only the input elements some window reads are copied: all of them for a 3x3 stride-2
      // layer, a quarter for a 1x1 stride-2 projection
      int[] map = splitMap[band];
      int block = g.sh() * g.sw() * hq * wq;
      int plane = g.inH() * g.inW();
      for (int c = 0; c < g.inC(); c++) {
        int to = base + c * block;
        int from = (b * g.inC() + c) * plane;
        for (int j = 0; j < map.length; j += 2) {
          s[to + map[j]] = x[from + map[j + 1]];
        }
      }
      return;
    }
    int rows = r1 - r0 + (g.kh() - 1) * g.dh() / g.sh();
    for (int c = 0; c < g.inC(); c++) {
      if (g.sh() == 1 && g.sw() == 1) {
        padded(x, b, c, r0, rows, s, base);
        continue;
      }
      for (int py = 0; py < g.sh(); py++) {
        if (usedPy[py]) {
          phasePair(x, b, c, py, r0, rows, s, base);
        }
      }
    }
  }

  /** Stride 1: rows [r0, r0 + rows) of channel c's zero-padded input, one row copy each. */
  private void padded(float[] x, int b, int c, int r0, int rows, float[] s, int base) {
    int plane = base + c * hq * wq;
    // columns j whose input column j - left lies in [0, inW)
    int j0 = Math.max(0, g.left());
    int j1 = Math.min(wq, g.inW() + g.left());
    for (int i = 0; i < rows; i++) {
      int iy = r0 + i - g.top();
      if (iy < 0 || iy >= g.inH() || j0 >= j1) {
        continue;
      }
      int src = ((b * g.inC() + c) * g.inH() + iy) * g.inW() - g.left();
      System.arraycopy(x, src + j0, s, plane + i * wq + j0, j1 - j0);
    }
  }

  /**
   * Phases (py, 0) and (py, 1) of a stride-2 layer in one pass over each input row: the columns
   * both phases take from the row are read as consecutive pairs (the strided copy per phase read
   * every row twice and dominated depthwise layers); the few columns at the edges only one phase
   * takes are copied singly. Used when a phase row holds at least one vector; the split map
   * writes the same elements.
   */
  private void phasePair(float[] x, int b, int c, int py, int r0, int rows, float[] s, int base) {
    int base0 = base + ((c * g.sh() + py) * 2) * hq * wq;
    int base1 = base0 + hq * wq;
    int a0 = Math.max(0, ceilDiv(g.left(), 2));
    int e0 = Math.min(wq, ceilDiv(g.inW() + g.left(), 2));
    int a1 = Math.max(0, ceilDiv(g.left() - 1, 2));
    int e1 = Math.min(wq, ceilDiv(g.inW() + g.left() - 1, 2));
    int lo = Math.max(a0, a1);
    int hi = Math.min(e0, e1);
    for (int i = 0; i < rows; i++) {
      int iy = (r0 + i) * g.sh() + py - g.top();
      if (iy < 0 || iy >= g.inH()) {
        continue;
      }
      int src = ((b * g.inC() + c) * g.inH() + iy) * g.inW() - g.left();
      int d0 = base0 + i * wq;
      int d1 = base1 + i * wq;
      for (int j = a0; j < Math.min(e0, lo); j++) {
        s[d0 + j] = x[src + 2 * j];
      }
      for (int j = a1; j < Math.min(e1, lo); j++) {
        s[d1 + j] = x[src + 2 * j + 1];
      }
      for (int j = Simd.enabled() ? VectorMap.deinterleave(x, src, s, d0, d1, lo, hi) : lo; j < hi; j++) {
        s[d0 + j] = x[src + 2 * j];
        s[d1 + j] = x[src + 2 * j + 1];
      }
      for (int j = Math.max(hi, a0); j < e0; j++) {
        s[d0 + j] = x[src + 2 * j];
      }
      for (int j = Math.max(hi, a1); j < e1; j++) {
        s[d1 + j] = x[src + 2 * j + 1];
      }
    }
  }

  private static int ceilDiv(int a, int d) {
    return -Math.floorDiv(-a, d);
  }
}
