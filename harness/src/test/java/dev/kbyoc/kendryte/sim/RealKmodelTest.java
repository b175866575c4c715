package dev.kbyoc.kendryte.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.kendryte.TestData;
import dev.kbyoc.kendryte.format.Kmodel;
import dev.kbyoc.kendryte.format.KmodelReader;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Runs the public nncase v0.1.0-rc5 example kmodels (see shared/testdata/README.md). */
class RealKmodelTest {
  @Test
  void irisGivesTheBoardResult() {
    Kmodel m = KmodelReader.read("iris.kmodel", TestData.bytes("kmodel/iris.kmodel"));
    for (SimMode mode : SimMode.values()) {
      KmodelSimulator sim = new KmodelSimulator("iris.kmodel", m, mode);
      KmodelSimulator.Result r = sim.run(NDArray.of(new float[] {5.1f, 3.8f, 1.9f, 0.4f}, 1, 4));
      NDArray out = r.outputs().get(0);
      assertArrayEquals(new int[] {1, 3}, out.shape());
      // The example's Readme: a K210 board prints 16.077795, 5.607656, -2.071745 (setosa).
      float[] board = {16.077795f, 5.607656f, -2.071745f};
      for (int i = 0; i < 3; i++) {
        assertEquals(board[i], out.floatData()[i], 2e-5f, "score " + i + " in " + mode);
      }
    }
  }

  @Test
  void yoloRunsOnADeterministicInput() {
    Kmodel m = KmodelReader.read("yolo.kmodel", TestData.bytes("kmodel/yolo.kmodel"));
    KmodelSimulator sim = new KmodelSimulator("yolo.kmodel", m, SimMode.UINT8);
    assertArrayEquals(new int[] {1, 3, 240, 320}, sim.inputSpec().shape());
    NDArray in = NDArray.zeros(DType.UINT8, 1, 3, 240, 320);
    SplittableRandom rnd = new SplittableRandom(42);
    for (int i = 0; i < in.size(); i++) {
      in.setDouble(i, rnd.nextInt(256));
    }
    KmodelSimulator.Result r = sim.run(in);
    NDArray out = r.outputs().get(0);
    assertArrayEquals(new int[] {1, 125, 7, 10}, out.shape());
    for (float f : out.floatData()) {
      assertTrue(Float.isFinite(f));
    }
    assertEquals(17, r.layers().size());
  }

  @Test
  void unsupportedKpuFeaturesAreNamed() {
    Kmodel m = KmodelReader.read("yolo.kmodel", TestData.bytes("kmodel/yolo.kmodel"));
    var c = (dev.kbyoc.kendryte.format.K210ConvLayer) m.layers().get(0);
    var bad = dev.kbyoc.kendryte.format.K210ConvLayer.of(c.flags(), c.mainMemOutAddress(),
        c.argument().with(dev.kbyoc.kendryte.format.KpuField.POOL_TYPE, 2).with(
            dev.kbyoc.kendryte.format.KpuField.O_ROW_WID, 99), c.weightBytes(), c.batchNormRegisters(),
        c.activationRegisters(), c.offsets());
    var layers = new java.util.ArrayList<>(m.layers());
    layers.set(0, bad);
    Kmodel broken = new Kmodel(m.version(), m.flags(), m.arch(), m.maxStartAddress(), m.mainMemUsage(), m.outputs(),
        layers);
    NDArray in = NDArray.zeros(DType.UINT8, 1, 3, 240, 320);
    var e = org.junit.jupiter.api.Assertions.assertThrows(dev.kbyoc.ir.KbyocException.class,
        () -> new KmodelSimulator("yolo.kmodel", broken, SimMode.UINT8).run(in));
    assertEquals("kmodel yolo.kmodel: layer 0 (K210_CONV): pool mean_2_s2 of a 240x320 map gives 120x160 but the"
        + " layer declares 120x100", e.getMessage());
  }
}
