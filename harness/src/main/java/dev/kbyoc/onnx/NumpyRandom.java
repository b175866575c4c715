package dev.kbyoc.onnx;

/**
 * numpy's legacy {@code RandomState} generator: MT19937 seeded as {@code np.random.seed(s)}
 * (Knuth's initialisation of the 624-word state from one 32-bit seed) and
 * {@code random_sample()}'s 53-bit doubles from two 32-bit draws. ONNX's reference Dropout draws
 * its training-mode mask from {@code np.random.uniform(0, 1, shape)} after
 * {@code np.random.seed(seed)}, so this reproduces the masks of ONNX's backend test data.
 */
final class NumpyRandom {
  private static final int N = 624;
  private static final int M = 397;
  private final int[] mt = new int[N];
  private int pos;

  /** {@code np.random.seed(seed)}; seed must be in [0, 2^32). */
  NumpyRandom(long seed) {
    if (seed < 0 || seed > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("seed [" + seed + "] must be between 0 and 2**32 - 1");
    }
    int s = (int) seed;
    for (int i = 0; i < N; i++) {
      mt[i] = s;
      s = 1812433253 * (s ^ (s >>> 30)) + i + 1;
    }
    pos = N;
  }

  /** The next 32-bit output (tempered). */
  int nextInt() {
    if (pos == N) {
      for (int i = 0; i < N; i++) {
        int y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7FFFFFFF);
        mt[i] = mt[(i + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908B0DF : 0);
      }
      pos = 0;
    }
    int y = mt[pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9D2C5680;
    y ^= (y << 15) & 0xEFC60000;
    return y ^ (y >>> 18);
  }

  /** {@code random_sample()}: a double in [0, 1) with 53 random bits. */
  double nextDouble() {
    long a = (nextInt() & 0xFFFFFFFFL) >>> 5;
    long b = (nextInt() & 0xFFFFFFFFL) >>> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }
}
