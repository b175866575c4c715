package dev.kbyoc.kendryte.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kbyoc.kendryte.TestData;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KmodelRoundTripTest {
  @ParameterizedTest
  @ValueSource(strings = {"kmodel/iris.kmodel", "kmodel/yolo.kmodel"})
  void realFilesRoundTripByteIdentical(String rel) {
    byte[] original = TestData.bytes(rel);
    Kmodel m = KmodelReader.read(rel, original);
    byte[] written = KmodelWriter.write(m);
    assertEquals(original.length, written.length);
    assertArrayEquals(original, written);
    assertEquals(m, KmodelReader.read("again", written));
  }

  /** A kmodel with one layer of every CPU type (random field values, consistent tails) plus a conv. */
  @Test
  void everyLayerTypeRoundTrips() {
    SplittableRandom rnd = new SplittableRandom(7);
    List<KLayer> layers = new ArrayList<>();
    for (LayerType t : LayerType.values()) {
      if (t == LayerType.INVALID || t == LayerType.K210_CONV) {
        continue;
      }
      LayerSchema s = LayerSchema.of(t);
      CpuLayer.Builder b = CpuLayer.builder(t);
      long[] vals = new long[s.fields().size()];
      for (int i = 0; i < vals.length; i++) {
        vals[i] = rnd.nextInt(1, 9);
        b.set(s.fields().get(i).name(), vals[i]);
      }
      byte[] tail = new byte[(int) s.tailSize(vals)];
      rnd.nextBytes(tail);
      layers.add(b.tail(tail).build());
    }
    KpuLayerArgument arg = KpuLayerArgument.zero().with(KpuField.I_CH_NUM, 2).with(KpuField.O_CH_NUM, 3)
        .with(KpuField.KERNEL_TYPE, 1).with(KpuField.ARG_ADD, -12345);
    byte[] w = new byte[3 * 4 * 9 * 2];
    rnd.nextBytes(w);
    long[] bn = {1, -2, 3, 0x0FFF_FFFF_FFFF_FFFFL};
    long[] act = new long[18];
    for (int i = 0; i < 18; i++) {
      act[i] = rnd.nextLong();
    }
    layers.add(K210ConvLayer.of(0, 0, arg, w, bn, act, new long[4]));
    Kmodel m = Kmodel.of(false, 7, 1000, List.of(new KmodelOutput(0, 8), new KmodelOutput(8, 4)), layers);
    byte[] once = KmodelWriter.write(m);
    Kmodel back = KmodelReader.read("synthetic", once);
    assertEquals(m, back);
    assertArrayEquals(once, KmodelWriter.write(back));
    assertEquals(layers.size(), back.layers().size());
  }
}
