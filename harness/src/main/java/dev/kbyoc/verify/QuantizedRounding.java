package dev.kbyoc.verify;

import dev.kbyoc.ir.NDArray;
import dev.kbyoc.kendryte.sim.SimMode;
import java.util.List;

/**
 * Oracle 3b: the uint8 Kendryte simulator differs from its dequantized reference (the same layers
 * with every rounding removed) only by rounding noise. Each kmodel output is compared in LSB
 * units (the FLOAT-mode output range / 255) under the {@code uint8} policy: cosine similarity at
 * least {@value #MIN_COSINE} ({@code low-cosine}), and, on outputs of at least
 * {@value #MIN_ELEMENTS} elements, a mean signed error within +-{@value #MAX_BIAS_LSB} LSB
 * ({@code rounding-bias}): carry-shift rounding errors are bounded by half an LSB per step and
 * nearly unbiased (measured on 516 random kmodel outputs of >= 128 elements: |mean| <= 0.45; a
 * rounding shift one LSB off gives 0.6..1.6, caught on 508 of 516), so a systematic shift means
 * the simulator rounds wrongly. Small outputs are left out: there a 64-element standalone
 * batch_norm reached 1.35 LSB without any fault. The cosine needs at least
 * {@value #MIN_COSINE_ELEMENTS} elements: on a handful of values that are themselves a few
 * quantization steps (a global pool of zero-mean data), one-step rounding gives cosine 0.98 without
 * any fault (fuzz seed 99, case 1853: four values of about 0.01, errors of 1-1.5 output steps).
 */
public final class QuantizedRounding implements Oracle {
  public static final String NAME = "quantized-rounding";
  public static final double MAX_BIAS_LSB = 0.75;
  public static final int MIN_ELEMENTS = 128;
  public static final double MIN_COSINE = 0.99;
  public static final int MIN_COSINE_ELEMENTS = 16;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Verdict check(CaseRun run) {
    for (KendryteModels.Compiled c : KendryteModels.of(run)) {
      List<NDArray> q = run.record(c.symbol() + "-uint8", c.kmodel().run(List.of(c.input()), SimMode.UINT8));
      List<NDArray> f = run.record(c.symbol() + "-dequantized", c.kmodel().run(List.of(c.input()), SimMode.FLOAT));
      for (int o = 0; o < f.size(); o++) {
        String bad = compare(q.get(o), f.get(o));
        if (bad != null) {
          return Verdict.fail(NAME, bad.substring(0, bad.indexOf(':')), c.symbol() + " output " + o + bad.substring(bad.indexOf(':')));
        }
      }
    }
    return Verdict.pass();
  }

  /** Null when within policy, else "kind: detail". */
  static String compare(NDArray q, NDArray f) {
    double lo = Double.MAX_VALUE;
    double hi = -Double.MAX_VALUE;
    for (int i = 0; i < f.size(); i++) {
      lo = Math.min(lo, f.getDouble(i));
      hi = Math.max(hi, f.getDouble(i));
    }
    double cos = TolerancePolicy.cosine(f, q);
    if (f.size() >= MIN_COSINE_ELEMENTS && !(cos >= MIN_COSINE)) {
      return "low-cosine: cosine " + cos + " < " + MIN_COSINE;
    }
    double lsb = (hi - lo) / 255;
    if (lsb <= 0 || f.size() < MIN_ELEMENTS) {
      return null;
    }
    double sum = 0;
    for (int i = 0; i < f.size(); i++) {
      sum += (q.getDouble(i) - f.getDouble(i)) / lsb;
    }
    double mean = sum / f.size();
    return Math.abs(mean) > MAX_BIAS_LSB
        ? "rounding-bias: mean uint8 error " + String.format(java.util.Locale.ROOT, "%.3f", mean) + " LSB over "
            + f.size() + " elements (limit +-" + MAX_BIAS_LSB + ")"
        : null;
  }
}
