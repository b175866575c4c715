package dev.kbyoc.runtime.kernels;

/**
 * The precision convolution sums are accumulated in, read when a layer is planned:
 * {@code exact} (default) accumulates in double in the reference kernel's order, so the graph
 * runtime's results are bit-identical to the reference interpreter's; {@code float}
 * ({@code -Dkbyoc.accumulate=float}) accumulates in float, about 2.5 times faster, with the usual
 * float summation error (bounded by {@code K * 2^-24 * sum |products|} for K terms). Float is not
 * the default because that error exceeds the {@code float-tight} policy (1e-6 + 1e-5 |x|) where a
 * sum of large products cancels to a small value, which would make the numeric oracles report
 * differences that are only rounding (docs/performance.md).
 */
public final class Accumulation {
  /** The system property naming the mode: {@code exact} or {@code float}. */
  public static final String PROPERTY = "kbyoc.accumulate";

  private Accumulation() {}

  /** Whether layers planned now accumulate exactly (double); false only for {@code -Dkbyoc.accumulate=float}. */
  public static boolean exact() {
    return !"float".equals(System.getProperty(PROPERTY));
  }
}
