package dev.kbyoc.verify;

import java.util.SplittableRandom;

/**
 * Seed arithmetic. Case {@code i} of a run with master seed {@code S} has seed
 * {@code S + i * GAMMA}, so the seed printed for a failing case replays it alone as a run of one
 * try ({@code -Dkbyoc.seed=<case seed> -Dkbyoc.tries=1}), and shards take disjoint case indices.
 * Seeds are mixed before seeding a stream, so neighbouring seeds give unrelated streams.
 */
public final class Seeds {
  /** The golden-ratio increment between consecutive case seeds. */
  public static final long GAMMA = 0x9E3779B97F4A7C15L;

  private Seeds() {}

  /** The seed of case {@code index} of a run started from {@code master}. */
  public static long caseSeed(long master, long index) {
    return master + index * GAMMA;
  }

  /** A random stream for a seed. */
  public static SplittableRandom rng(long seed) {
    return new SplittableRandom(mix(seed));
  }

  /** Stafford's Mix13 finaliser (as in SplitMix64). */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A fresh master seed from the clock, for runs that were given none. */
  public static long fresh() {
    return mix(System.nanoTime() ^ System.currentTimeMillis());
  }
}
