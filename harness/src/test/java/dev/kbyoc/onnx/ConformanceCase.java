package dev.kbyoc.onnx;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.runtime.Interpreter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;

/**
 * One ONNX backend test case ({@code model.onnx} plus {@code test_data_set_*} directories of
 * {@code input_<i>.pb} / {@code output_<i>.pb} TensorProtos) run through the importer and the
 * reference interpreter, with outputs compared as the ONNX backend tests do:
 * {@code |actual - expected| <= atol + rtol * |expected|} with rtol 1e-3 and atol 1e-7, NaN
 * matching NaN, integer and bool outputs exactly.
 */
final class ConformanceCase {
  static final double RTOL = 1e-3;
  static final double ATOL = 1e-7;

  /** The verdict on a case. */
  enum Status { PASS, FAIL, UNSUPPORTED }

  /** A verdict and why. */
  record Result(String id, String group, Status status, String detail) {}

  private ConformanceCase() {}

  /** Runs the case in {@code dir}; {@code id} is {@code category/name}. Never throws. */
  static Result run(String id, String category, Path dir) {
    String group = category;
    try {
      byte[] bytes = Files.readAllBytes(dir.resolve("model.onnx"));
      if (category.equals("node")) {
        group = groupOf(dir, bytes);
      }
      List<Path> sets;
      try (Stream<Path> s = Files.list(dir)) {
        sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
      }
      if (sets.isEmpty()) {
        return new Result(id, group, Status.UNSUPPORTED, "no test data sets");
      }
      for (Path set : sets) {
        String msg = runSet(bytes, dir.getFileName().toString(), set);
        if (msg != null) {
          return new Result(id, group, Status.FAIL, set.getFileName() + ": " + msg);
        }
      }
      return new Result(id, group, Status.PASS, "");
    } catch (OnnxUnsupportedException e) {
      return new Result(id, group, Status.UNSUPPORTED, e.getMessage());
    } catch (KbyocException e) {
      return new Result(id, group, Status.FAIL, e.getMessage());
    } catch (IOException | RuntimeException e) {
      return new Result(id, group, Status.FAIL, e.toString());
    }
  }

  /**
   * The op type a node test is about, lower-cased: its only node besides Constants ({@code constant}
   * when there are only Constants). An {@code _expanded} case (the op's function body as several
   * nodes) belongs to the op of its twin without the suffix; other multi-node cases are
   * {@code (composite)}.
   */
  static String groupOf(Path dir, byte[] bytes) throws IOException {
    String name = dir.getFileName().toString();
    if (name.endsWith("_expanded")) {
      Path twin = dir.resolveSibling(name.substring(0, name.length() - "_expanded".length())).resolve("model.onnx");
      if (Files.exists(twin)) {
        return groupOf(Files.readAllBytes(twin));
      }
    }
    return groupOf(bytes);
  }

  private static String groupOf(byte[] bytes) throws IOException {
    List<NodeProto> nodes = ModelProto.parseFrom(bytes).getGraph().getNodeList().stream()
        .filter(n -> !n.getOpType().equals("Constant")).toList();
    if (nodes.size() != 1) {
      return nodes.isEmpty() ? "constant" : "(composite)";
    }
    return nodes.get(0).getOpType().toLowerCase(java.util.Locale.ROOT);
  }

  /** Runs one data set; null when every output matches, else what differed. */
  private static String runSet(byte[] bytes, String name, Path set) throws IOException {
    var graph = ModelProto.parseFrom(bytes).getGraph();
    for (var v : concat(graph.getInputList(), graph.getOutputList())) {
      if (v.hasType() && !v.getType().hasTensorType()) {
        throw new OnnxUnsupportedException(name + ": '" + v.getName() + "' is a sequence/optional/map, not a tensor");
      }
    }
    List<NDArray> inputs = read(set, "input_");
    List<NDArray> expected = read(set, "output_");
    for (int i = 0; i < inputs.size(); i++) {
      int k = nonInitializerInput(graph, i);
      if (k >= 0) {
        inputs.set(i, bfloat16Quirk(inputs.get(i), graph.getInput(k)));
      }
    }
    for (int i = 0; i < expected.size() && i < graph.getOutputCount(); i++) {
      expected.set(i, bfloat16Quirk(expected.get(i), graph.getOutput(i)));
    }
    Map<String, NDArray> frozen = new HashMap<>();
    OnnxModel model = null;
    List<String> names = graph.getInputList().stream().map(v -> v.getName()).toList();
    // Dynamic dims are fixed from the test's data, as a user would with --shape.
    Map<String, int[]> shapes = new HashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      int k = nonInitializerInput(graph, i);
      if (k >= 0 && hasDynamicDim(graph.getInput(k))) {
        shapes.put(graph.getInput(k).getName(), inputs.get(i).shape());
      }
    }
    // Inputs an op needs at import time (a Reshape's shape fed as an input) are frozen to the
    // test's values, one at a time as the importer asks for them.
    for (int attempt = 0; model == null; attempt++) {
      try {
        model = OnnxImporter.fromBytes(bytes, name, new OnnxImporter.Options(shapes, frozen));
      } catch (OnnxUnsupportedException e) {
        String need = e.staticInput();
        int k = model == null && need != null ? inputIndex(bytes, need) : -1;
        if (k < 0 || k >= inputs.size() || frozen.containsKey(need) || attempt > names.size()) {
          throw e;
        }
        frozen.put(need, inputs.get(k));
        shapes.remove(need);
      }
    }
    Map<String, NDArray> feed = new HashMap<>();
    for (int i = 0; i < model.inputs().size() && i < inputs.size(); i++) {
      String n = model.inputs().get(i);
      if (!frozen.containsKey(n)) {
        feed.put(n, inputs.get(i));
      }
    }
    feed.putAll(model.params());
    List<NDArray> actual = new Interpreter(model.module()).runFlat(feed);
    if (actual.size() != expected.size()) {
      return "produced " + actual.size() + " outputs, expected " + expected.size();
    }
    for (int i = 0; i < actual.size(); i++) {
      String d = compare(actual.get(i), expected.get(i));
      if (d != null) {
        return "output " + i + ": " + d;
      }
    }
    return null;
  }

  /** Position of graph input {@code name} among the non-initializer inputs. */
  private static int inputIndex(byte[] bytes, String name) throws IOException {
    var g = ModelProto.parseFrom(bytes).getGraph();
    java.util.Set<String> inits = new java.util.HashSet<>();
    g.getInitializerList().forEach(t -> inits.add(t.getName()));
    int k = 0;
    for (var v : g.getInputList()) {
      if (inits.contains(v.getName())) {
        continue;
      }
      if (v.getName().equals(name)) {
        return k;
      }
      k++;
    }
    return -1;
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** Index in graph.input of the i-th input that is not an initializer, or -1. */
  private static int nonInitializerInput(onnx.Onnx.GraphProto g, int i) {
    java.util.Set<String> inits = new java.util.HashSet<>();
    g.getInitializerList().forEach(t -> inits.add(t.getName()));
    int seen = 0;
    for (int k = 0; k < g.getInputCount(); k++) {
      if (!inits.contains(g.getInput(k).getName()) && seen++ == i) {
        return k;
      }
    }
    return -1;
  }

  /**
   * ONNX 1.12's test data stores bfloat16 tensors as uint16 TensorProtos (the bit patterns); such
   * a tensor for a value declared bfloat16 is read back as bfloat16 with the same bits.
   */
  private static NDArray bfloat16Quirk(NDArray a, onnx.Onnx.ValueInfoProto v) {
    boolean bf16 = v.getType().getTensorType().getElemType() == onnx.Onnx.TensorProto.DataType.BFLOAT16_VALUE;
    return bf16 && a.dtype() == dev.kbyoc.ir.DType.UINT16
        ? NDArray.fromBytes(dev.kbyoc.ir.DType.BFLOAT16, a.shape(), a.toBytes()) : a;
  }

  private static boolean hasDynamicDim(onnx.Onnx.ValueInfoProto v) {
    var t = v.getType().getTensorType();
    return !t.hasShape() || t.getShape().getDimList().stream().anyMatch(d -> !d.hasDimValue());
  }

  private static List<NDArray> read(Path set, String prefix) {
    List<NDArray> out = new ArrayList<>();
    for (int i = 0; Files.exists(set.resolve(prefix + i + ".pb")); i++) {
      out.add(TensorProtos.readFile(set.resolve(prefix + i + ".pb")));
    }
    return out;
  }

  /** Null when {@code a} matches {@code e} within tolerance, else the first difference. */
  static String compare(NDArray a, NDArray e) {
    if (a.dtype() != e.dtype() || !java.util.Arrays.equals(a.shape(), e.shape())) {
      return "got " + a.type() + ", expected " + e.type();
    }
    for (int i = 0; i < a.size(); i++) {
      double x = a.getDouble(i);
      double y = e.getDouble(i);
      boolean ok = e.dtype().isFloat()
          ? (Double.isNaN(x) && Double.isNaN(y)) || x == y || Math.abs(x - y) <= ATOL + RTOL * Math.abs(y)
          : a.getLong(i) == e.getLong(i);
      if (!ok) {
        return "element " + i + " is " + x + ", expected " + y;
      }
    }
    return null;
  }
}
