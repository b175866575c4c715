package dev.kbyoc.onnx;

import dev.kbyoc.onnx.ConformanceCase.Result;
import dev.kbyoc.onnx.ConformanceCase.Status;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The conformance suite's two tables: every group's pass/fail/unsupported counts, and the
 * per-op {@code pass/total} over the node tests of the ops issue 8 lists ({@link #LISTED}).
 */
final class ConformanceTable {
  /**
   * The ONNX ops the importer claims (issue 8's list, lower-cased op types): every node test
   * attributed to one of them (see {@link ConformanceCase#groupOf}) must be an expected pass or
   * a documented exclusion.
   */
  static final List<String> LISTED = List.of(
      "conv", "convtranspose", "batchnormalization", "relu", "leakyrelu", "clip", "sigmoid",
      "hardsigmoid", "tanh", "softmax", "add", "sub", "mul", "div", "max", "min", "maxpool",
      "averagepool", "globalaveragepool", "gemm", "matmul", "flatten", "reshape", "transpose",
      "concat", "pad", "resize", "upsample", "squeeze", "unsqueeze", "reducemean", "sqrt", "pow",
      "exp", "neg", "identity", "dropout", "constant", "shape", "gather", "cast", "slice");

  private ConformanceTable() {}

  /** Counts per group: [pass, fail, unsupported]. */
  private static Map<String, int[]> counts(List<Result> results, boolean nodeOnly) {
    Map<String, int[]> counts = new TreeMap<>();
    for (Result r : results) {
      if (!nodeOnly || r.id().startsWith("node/")) {
        counts.computeIfAbsent(r.group(), k -> new int[3])[r.status().ordinal()]++;
      }
    }
    return counts;
  }

  /** The per-group table, e.g. {@code conv:  4/4  fail 0  unsupported 0}, then the totals. */
  static String groups(List<Result> results) {
    StringBuilder sb = new StringBuilder("ONNX conformance (rtol 1e-3, atol 1e-7): group pass/total, fail, unsupported\n");
    int[] total = new int[3];
    for (Map.Entry<String, int[]> e : counts(results, false).entrySet()) {
      int[] c = e.getValue();
      sb.append(String.format("  %-28s %4d/%-4d fail %3d  unsupported %3d%n", e.getKey() + ":", c[0], c[0] + c[1] + c[2], c[1], c[2]));
      for (int i = 0; i < 3; i++) {
        total[i] += c[i];
      }
    }
    sb.append(String.format("  %-28s %4d/%-4d fail %3d  unsupported %3d", "TOTAL:", total[0], total[0] + total[1] + total[2],
        total[1], total[2]));
    return sb.toString();
  }

  /** The listed ops' node tests, one {@code op: pass/total} line each, then their sum. */
  static String listed(List<Result> results) {
    Map<String, int[]> counts = counts(results, true);
    StringBuilder sb = new StringBuilder("Node tests of the ops the importer claims (op: pass/total)\n");
    int pass = 0;
    int all = 0;
    for (String op : LISTED) {
      int[] c = counts.getOrDefault(op, new int[3]);
      int n = c[0] + c[1] + c[2];
      sb.append(String.format("  %-20s %3d/%d%n", op + ":", c[0], n));
      pass += c[0];
      all += n;
    }
    return sb.append(String.format("  %-20s %3d/%d", "TOTAL:", pass, all)).toString();
  }

  /** Whether a result is a node test of a listed op. */
  static boolean isListed(Result r) {
    return r.id().startsWith("node/") && LISTED.contains(r.group());
  }

  /** Whether a result passed. */
  static boolean passed(Result r) {
    return r.status() == Status.PASS;
  }
}
