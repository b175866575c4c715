package dev.kbyoc.kendryte.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.kendryte.TestData;
import dev.kbyoc.kendryte.format.KmodelReader;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The nncase 20-class YOLO example on its own input image (dog.bmp), decoded like the example's
 * {@code region_layer.c} (5 anchors x (4 box + 1 objectness + 20 classes) over a 10x7 grid,
 * threshold 0.5). The image is darknet's classic dog.jpg: a bicycle in the middle, a dog at the
 * lower left and a vehicle at the top right; those three classes, at those grid cells, must be the
 * only detections above 0.5 in the bit-exact mode (cell = row * 10 + col on the 10x7 grid). The
 * float mode (no rounding) must agree with it to cosine 0.99 and find the bicycle and the vehicle
 * (its dog score sits near the 0.5 threshold).
 */
class YoloDogTest {
  static final String[] VOC = {"aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair",
    "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train",
    "tvmonitor"};

  record Detection(String label, double prob, int cell, int anchor) {}

  static List<Detection> decode(float[] out, double threshold) {
    int wh = 70;
    List<Detection> r = new ArrayList<>();
    for (int n = 0; n < 5; n++) {
      for (int i = 0; i < wh; i++) {
        int base = n * wh * 25;
        double obj = 1 / (1 + Math.exp(-out[base + 4 * wh + i]));
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < 20; j++) {
          max = Math.max(max, out[base + (5 + j) * wh + i]);
        }
        double sum = 0;
        for (int j = 0; j < 20; j++) {
          sum += Math.exp(out[base + (5 + j) * wh + i] - max);
        }
        for (int j = 0; j < 20; j++) {
          double p = obj * Math.exp(out[base + (5 + j) * wh + i] - max) / sum;
          if (p > threshold) {
            r.add(new Detection(VOC[j], p, i, n));
          }
        }
      }
    }
    r.sort((a, b) -> Double.compare(b.prob(), a.prob()));
    return r;
  }

  static NDArray dogImage() throws Exception {
    try (InputStream in = YoloDogTest.class.getResourceAsStream("/kendryte/dog_3x240x320.u8")) {
      byte[] b = in.readAllBytes();
      return NDArray.ofBytes(DType.UINT8, b, 1, 3, 240, 320);
    }
  }

  /** Each KPU layer's own rounding, from the same uint8 input, stays within 1.5 LSB of the exact value. */
  @Test
  void perLayerRoundingIsBelowTwoLsb() throws Exception {
    var model = KmodelReader.read("yolo.kmodel", TestData.bytes("kmodel/yolo.kmodel"));
    var r = new KmodelSimulator("yolo.kmodel", model, SimMode.UINT8).run(dogImage(), true);
    assertEquals(17, r.layerOutputs().size());
    for (int i = 0; i < 16; i++) {
      double e = r.layers().get(i).isolatedErrorLsb();
      assertTrue(e >= 0 && e <= 1.5, "layer " + i + " rounding error " + e + " LSB");
    }
  }

  @Test
  void detectsTheDog() throws Exception {
    var model = KmodelReader.read("yolo.kmodel", TestData.bytes("kmodel/yolo.kmodel"));
    float[] exact = null;
    for (SimMode mode : new SimMode[] {SimMode.UINT8, SimMode.FLOAT}) {
      NDArray out = new KmodelSimulator("yolo.kmodel", model, mode).run(dogImage()).outputs().get(0);
      assertEquals(java.util.List.of(1, 125, 7, 10), java.util.Arrays.stream(out.shape()).boxed().toList());
      List<Detection> d = decode(out.floatData(), 0.5);
      java.util.Set<String> labels = new java.util.TreeSet<>();
      for (Detection x : d) {
        labels.add(x.label());
        int row = x.cell() / 10;
        int col = x.cell() % 10;
        switch (x.label()) {
          case "dog" -> assertTrue(row >= 3 && col <= 3, "dog not at the lower left: " + x);
          case "car" -> assertTrue(row <= 2 && col >= 5, "car not at the top right: " + x);
          case "bicycle" -> assertTrue(col >= 2 && col <= 7, "bicycle not in the middle: " + x);
          default -> throw new AssertionError("unexpected detection " + x + " in " + mode);
        }
      }
      if (mode == SimMode.UINT8) {
        assertEquals(java.util.Set.of("bicycle", "car", "dog"), labels, mode + ": " + d);
        exact = out.floatData();
      } else {
        assertTrue(labels.containsAll(java.util.Set.of("bicycle", "car")), mode + ": " + d);
        float[] f = out.floatData();
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < f.length; i++) {
          ab += (double) f[i] * exact[i];
          aa += (double) exact[i] * exact[i];
          bb += (double) f[i] * f[i];
        }
        assertTrue(ab / Math.sqrt(aa * bb) >= 0.99, "cosine " + ab / Math.sqrt(aa * bb));
      }
    }
  }
}
