package dev.kbyoc.golden;

import onnx.Onnx.ModelProto;

/**
 * One zoo entry: its name (also its resource directory), what it exercises, the ONNX model, and
 * its single float32 input (name, shape and the seed of its test data, uniform in [-1, 1)).
 */
public record GoldenModel(String name, String purpose, ModelProto model, String input, int[] inputShape, long dataSeed) {
  public GoldenModel {
    inputShape = inputShape.clone();
  }

  /** The test input: {@code size(inputShape)} floats from {@code dataSeed}. */
  public float[] inputData() {
    int n = 1;
    for (int d : inputShape) {
      n *= d;
    }
    java.util.SplittableRandom r = new java.util.SplittableRandom(dataSeed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (2 * r.nextDouble() - 1);
    }
    return v;
  }

  @Override
  public int[] inputShape() {
    return inputShape.clone();
  }
}
