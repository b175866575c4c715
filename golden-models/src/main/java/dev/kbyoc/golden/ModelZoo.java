package dev.kbyoc.golden;

import java.util.List;

/**
 * The six golden CNNs. Each is built by code from a fixed seed, so {@link #all()} returns the
 * same bytes on every run; the committed copies under {@code src/test/resources} are checked
 * against it.
 */
public final class ModelZoo {
  private ModelZoo() {}

  /** Every model, in a fixed order. */
  public static List<GoldenModel> all() {
    return List.of(lenet(), mobilenet(), resnet(), detectionHead(), hostOps(), oversize());
  }

  /** LeNet-5 style: conv/pool twice, three fully connected layers, softmax. */
  static GoldenModel lenet() {
    GraphBuilder g = new GraphBuilder("lenet", 101);
    String x = g.input("input", 1, 1, 28, 28);
    String y = g.maxPool(g.relu(g.conv(x, 1, 6, 5, 1, 2, 1)), 2, 2);
    y = g.maxPool(g.relu(g.conv(y, 6, 16, 5, 1, 0, 1)), 2, 2);
    y = g.flatten(y);
    y = g.relu(g.gemm(y, 400, 120));
    y = g.relu(g.gemm(y, 120, 84));
    y = g.node("Softmax", new String[] {g.gemm(y, 84, 10)}, "axis", 1L);
    g.output(y);
    return new GoldenModel("lenet", "LeNet-style: conv, max pool, Gemm, softmax", g.build(), x, new int[] {1, 1, 28, 28}, 1);
  }

  /** Depthwise-separable blocks (3x3 depthwise + 1x1 pointwise, BN, ReLU6) with stride-2 stages. */
  static GoldenModel mobilenet() {
    GraphBuilder g = new GraphBuilder("mobilenet", 202);
    String x = g.input("input", 1, 3, 32, 32);
    String y = g.relu6(g.bn(g.conv(x, 3, 16, 3, 2, 1, 1), 16));
    int[][] blocks = {{16, 32, 1}, {32, 64, 2}, {64, 64, 1}, {64, 128, 2}};
    for (int[] b : blocks) {
      y = g.relu6(g.bn(g.conv(y, b[0], b[0], 3, b[2], 1, b[0]), b[0]));
      y = g.relu6(g.bn(g.conv(y, b[0], b[1], 1, 1, 0, 1), b[1]));
    }
    y = g.gemm(g.flatten(g.globalAvgPool(y)), 128, 10);
    g.output(y);
    return new GoldenModel("mobilenet", "MobileNet-v1-style: depthwise separable, stride-2 stages, BN, ReLU6",
        g.build(), x, new int[] {1, 3, 32, 32}, 2);
  }

  private static String basicBlock(GraphBuilder g, String x, int cin, int cout, int stride) {
    String y = g.relu(g.bn(g.conv(x, cin, cout, 3, stride, 1, 1), cout));
    y = g.bn(g.conv(y, cout, cout, 3, 1, 1, 1), cout);
    String shortcut = stride == 1 && cin == cout ? x : g.bn(g.conv(x, cin, cout, 1, stride, 0, 1), cout);
    return g.relu(g.add(y, shortcut));
  }

  /** ResNet-style: residual adds, one with a strided 1x1 projection shortcut. */
  static GoldenModel resnet() {
    GraphBuilder g = new GraphBuilder("resnet", 303);
    String x = g.input("input", 1, 3, 32, 32);
    String y = g.relu(g.bn(g.conv(x, 3, 16, 3, 1, 1, 1), 16));
    y = basicBlock(g, y, 16, 16, 1);
    y = basicBlock(g, y, 16, 32, 2);
    y = basicBlock(g, y, 32, 32, 1);
    y = g.gemm(g.flatten(g.globalAvgPool(y)), 32, 10);
    g.output(y);
    return new GoldenModel("resnet", "ResNet-style: residual adds and a projection shortcut", g.build(), x,
        new int[] {1, 3, 32, 32}, 3);
  }

  /** A two-scale detection head: upsampling, concat with skip features, two output maps. */
  static GoldenModel detectionHead() {
    GraphBuilder g = new GraphBuilder("detection", 404);
    String x = g.input("input", 1, 3, 32, 32);
    String c1 = g.relu(g.conv(x, 3, 16, 3, 1, 1, 1));
    String c2 = g.relu(g.conv(c1, 16, 32, 3, 2, 1, 1));
    String c3 = g.relu(g.conv(c2, 32, 64, 3, 2, 1, 1));
    String p2 = g.concat(1, g.upsample2x(c3), c2);
    String head1 = g.conv(p2, 96, 21, 1, 1, 0, 1);
    String lat = g.relu(g.conv(p2, 96, 16, 1, 1, 0, 1));
    String p1 = g.concat(1, g.upsample2x(lat), c1);
    String head2 = g.conv(p1, 32, 21, 1, 1, 0, 1);
    g.output(head1);
    g.output(head2);
    return new GoldenModel("detection", "detection-style head: Resize x2, Concat, two outputs", g.build(), x,
        new int[] {1, 3, 32, 32}, 4);
  }

  /** Convolutions separated by ops the K210 cannot run (softmax, transpose, sigmoid), forcing several regions. */
  static GoldenModel hostOps() {
    GraphBuilder g = new GraphBuilder("hostops", 505);
    String x = g.input("input", 1, 3, 16, 16);
    String y = g.relu(g.conv(x, 3, 8, 3, 1, 1, 1));
    y = g.relu(g.conv(y, 8, 8, 3, 1, 1, 1));
    y = g.node("Softmax", new String[] {y}, "axis", 1L);
    y = g.relu(g.conv(y, 8, 16, 1, 1, 0, 1));
    y = g.node("Transpose", new String[] {y}, "perm", new long[] {0, 1, 3, 2});
    y = g.relu(g.conv(y, 16, 16, 3, 1, 1, 1));
    y = g.node("Sigmoid", new String[] {y});
    y = g.conv(y, 16, 16, 3, 1, 1, 1);
    y = g.gemm(g.flatten(g.globalAvgPool(y)), 16, 4);
    g.output(y);
    return new GoldenModel("hostops", "K210-unsupported ops between convs: several regions", g.build(), x,
        new int[] {1, 3, 16, 16}, 5);
  }

  /**
   * A first activation of 32x256x320 (2.5 MiB even as uint8) within the KPU's height and width
   * limits but larger than its 2 MiB of RAM.
   */
  static GoldenModel oversize() {
    GraphBuilder g = new GraphBuilder("oversize", 606);
    String x = g.input("input", 1, 3, 256, 320);
    String y = g.relu(g.conv(x, 3, 32, 3, 1, 1, 1));
    y = g.maxPool(y, 4, 4);
    y = g.relu(g.conv(y, 32, 16, 3, 1, 1, 1));
    y = g.gemm(g.flatten(g.globalAvgPool(y)), 16, 10);
    g.output(y);
    return new GoldenModel("oversize", "activation larger than 2 MiB of KPU RAM: must fail cleanly or split",
        g.build(), x, new int[] {1, 3, 256, 320}, 6);
  }
}
