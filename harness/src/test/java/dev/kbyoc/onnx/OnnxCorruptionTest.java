package dev.kbyoc.onnx;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Randomly corrupted models (flipped bytes, truncations) must either import or fail with a one-line
 * {@link KbyocException}, never another exception (which the CLI would report as a bug, exit 1).
 */
class OnnxCorruptionTest {
  static final long SEED = 20261125L;
  static final int TRIES = 3000;

  private static byte[] model() {
    float[] w = new float[4 * 3 * 3 * 3];
    for (int i = 0; i < w.length; i++) {
      w[i] = (i % 7) - 3;
    }
    return OnnxBuilder.create().opset(13).input("x", 1, 3, 8, 8).output("y", 1, 4)
        .initializer("w", NDArray.of(w, 4, 3, 3, 3))
        .initializer("b", NDArray.of(new float[] {1, 2, 3, 4}, 4))
        .initializer("shape", NDArray.ofInt64(new long[] {1, -1}, 2))
        .node("Conv", "conv", new String[] {"x", "w", "b"}, new String[] {"c"}, "pads", new long[] {1, 1, 1, 1},
            "strides", new long[] {2, 2})
        .node("Relu", "relu", new String[] {"c"}, new String[] {"r"})
        .node("MaxPool", "pool", new String[] {"r"}, new String[] {"p"}, "kernel_shape", new long[] {2, 2},
            "strides", new long[] {2, 2})
        .node("GlobalAveragePool", "gap", new String[] {"p"}, new String[] {"g"})
        .node("Reshape", "flat", new String[] {"g", "shape"}, new String[] {"y"}).bytes();
  }

  @Test
  void corruptedModelsImportOrFailWithOneLineUserErrors() {
    byte[] good = model();
    OnnxImporter.fromBytes(good, "m.onnx", OnnxImporter.Options.DEFAULT);
    SplittableRandom r = new SplittableRandom(SEED);
    for (int t = 0; t < TRIES; t++) {
      byte[] b;
      if (r.nextInt(4) == 0) {
        b = java.util.Arrays.copyOf(good, r.nextInt(good.length));
      } else {
        b = good.clone();
        int flips = 1 + r.nextInt(4);
        for (int k = 0; k < flips; k++) {
          b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        }
      }
      try {
        OnnxImporter.fromBytes(b, "m.onnx", OnnxImporter.Options.DEFAULT);
      } catch (KbyocException e) {
        assertFalse(e.getMessage().contains("\n"), "try " + t + " (seed " + SEED + "): multi-line message " + e.getMessage());
      } catch (RuntimeException | StackOverflowError e) {
        fail("try " + t + " (seed " + SEED + "): " + e, e);
      }
    }
  }
}
