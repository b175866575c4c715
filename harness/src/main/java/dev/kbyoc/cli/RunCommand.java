package dev.kbyoc.cli;

import dev.kbyoc.build.PartitionFlow;
import dev.kbyoc.frontend.ModelLoader;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Type;
import dev.kbyoc.ir.Var;
import dev.kbyoc.ir.text.RelayPrinter;
import dev.kbyoc.onnx.OnnxImporter;
import dev.kbyoc.op.Targets;
import dev.kbyoc.runtime.Npy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kbyoc run MODEL.relay|MODEL.onnx|PKG [--params P] [--shape NAME=DIMS]... [--input NAME=FILE.npy]... [--target T] [--engine E] [--out DIR]}:
 * loads the model (with its sidecar {@code MODEL.params}), optionally partitions it for
 * {@code --target kendryte}, binds inputs and params to {@code @main}'s parameters by name, runs
 * the engine ({@code interpreter}, or {@code graph}: built in memory and run on the graph
 * runtime), prints one summary line per output and writes {@code output_<i>.npy} to DIR. A
 * package (written by {@code kbyoc build}) is verified, loaded and run on the graph runtime. A
 * missing or ill-shaped input is a user error (exit 2).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a model and write its outputs as output_<i>.npy.")
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL_OR_PKG", description = "Relay text model (.relay; MODEL.params next to it holds its constants), ONNX model (.onnx), a package from 'kbyoc build', or a K210 kmodel (.kmodel, run on the bit-exact simulator; one input named input).")
  Path model;

  @Option(names = "--shape", paramLabel = "NAME=1x3x224x224", description = "Fixes the shape of ONNX input NAME (needed for dynamic dims; repeatable).")
  List<String> shapes = new ArrayList<>();

  @Option(names = "--params", paramLabel = "P", description = "TVM params file with weights bound to @main's parameters by name.")
  Path params;

  @Option(names = "--input", paramLabel = "NAME=FILE.npy", description = "Value of @main's parameter NAME (repeatable).")
  List<String> inputs = new ArrayList<>();

  @Option(names = "--engine", description = "Execution engine: interpreter or graph (default: interpreter for a model, graph for a package).")
  String engine;

  @Option(names = "--target", defaultValue = "none", description = "kendryte: partition the model first (BYOC flow); none (default).")
  String target;

  @Option(names = "--out", paramLabel = "DIR", description = "Directory for output_<i>.npy files.")
  Path out;

  @Option(names = "--dump-layers", paramLabel = "DIR", description = "For a package or a uint8 kmodel: write every kmodel"
      + " layer's output, bit-exact (uint8) and unrounded (float reference), as .npy and print per layer their cosine"
      + " similarity and max abs error in LSBs (one directory per kendryte function of a package).")
  Path dumpLayers;

  @Override
  public Integer call() {
    if (KmodelCommands.isKmodel(model)) {
      return KmodelCommands.run(model, inputs, out, dev.kbyoc.kendryte.sim.SimMode.UINT8, dumpLayers,
          spec.commandLine().getOut());
    }
    Map<String, Path> inputFiles = parseInputs(inputs);
    if (PackageRun.isPackage(model)) {
      if (engine != null && !engine.equals("graph")) {
        throw new KbyocException(model + ": a package runs on the graph engine only, not [" + engine + "]");
      }
      return write(PackageRun.runPackage(model, inputFiles, dumpLayers, spec.commandLine().getOut()));
    }
    if (dumpLayers != null) {
      throw new KbyocException(model + ": --dump-layers needs a package (kbyoc build --target kendryte --quantize uint8)"
          + " or a .kmodel file");
    }
    RunEngine runEngine = RunEngines.get(engine == null ? "interpreter" : engine);
    if (!target.equals("none") && !target.equals("kendryte")) {
      throw new KbyocException("--target must be kendryte or none, got [" + target + "]");
    }
    ModelLoader.Model m = ModelLoader.load(model, params, OnnxImporter.parseShapes(shapes));
    IRModule module = m.module();
    Map<String, NDArray> weights = m.params();
    if (target.equals("kendryte")) {
      module = PartitionFlow.run(module, weights, Targets.get("kendryte"));
      weights = Map.of();
    }
    Function main = module.main();
    Map<String, NDArray> values = bind(main, weights, inputFiles);
    return write(runEngine.run(module, values));
  }

  private int write(List<NDArray> outputs) {
    PrintWriter w = spec.commandLine().getOut();
    if (out != null) {
      try {
        Files.createDirectories(out);
      } catch (IOException e) {
        throw new KbyocException(out + ": cannot create output directory: " + e.getMessage());
      }
    }
    for (int i = 0; i < outputs.size(); i++) {
      String line = summary("output_" + i, outputs.get(i));
      if (out != null) {
        Path file = out.resolve("output_" + i + ".npy");
        Npy.write(file, outputs.get(i));
        line += " -> " + file;
      }
      w.println(line);
    }
    w.flush();
    return 0;
  }

  /** {@code --input NAME=FILE.npy} values by parameter name (a leading {@code %} is dropped). */
  static Map<String, Path> parseInputs(List<String> specs) {
    Map<String, Path> files = new LinkedHashMap<>();
    for (String s : specs) {
      int eq = s.indexOf('=');
      if (eq <= 0 || eq == s.length() - 1) {
        throw new KbyocException("--input expects NAME=FILE.npy, got [" + s + "]");
      }
      String name = s.substring(0, eq).startsWith("%") ? s.substring(1, eq) : s.substring(0, eq);
      if (files.put(name, Path.of(s.substring(eq + 1))) != null) {
        throw new KbyocException("--input " + name + " is given twice");
      }
    }
    return files;
  }

  private Map<String, NDArray> bind(Function main, Map<String, NDArray> weights, Map<String, Path> inputFiles) {
    StringJoiner names = new StringJoiner(", ");
    main.params().forEach(p -> names.add("%" + p.name()));
    for (String name : inputFiles.keySet()) {
      if (main.params().stream().noneMatch(p -> p.name().equals(name))) {
        throw new KbyocException("--input " + name + ": @main has no parameter %" + name + " (parameters: " + names + ")");
      }
    }
    for (String name : weights.keySet()) {
      if (main.params().stream().noneMatch(p -> p.name().equals(name))) {
        spec.commandLine().getErr().println("kbyoc: warning: param [" + name + "] matches no parameter of @main (ignored)");
      }
    }
    Map<String, NDArray> values = new LinkedHashMap<>();
    for (Var p : main.params()) {
      Path file = inputFiles.get(p.name());
      NDArray weight = weights.get(p.name());
      if (file != null && weight != null) {
        throw new KbyocException("%" + p.name() + " is given both by --input and by the params file");
      }
      if (file == null && weight == null) {
        throw new KbyocException("missing input %" + p.name() + " " + describe(p.typeAnnotation())
            + " of @main (pass --input " + p.name() + "=FILE.npy)");
      }
      NDArray v = file != null ? Npy.read(file) : weight;
      String source = file != null ? file.toString() : "param [" + p.name() + "]";
      if (p.typeAnnotation() != null && !v.type().equals(p.typeAnnotation())) {
        throw new KbyocException("input %" + p.name() + ": " + source + " holds " + RelayPrinter.type(v.type())
            + ", @main expects " + RelayPrinter.type(p.typeAnnotation()));
      }
      values.put(p.name(), v);
    }
    return values;
  }

  private static String describe(Type t) {
    return t == null ? "(untyped)" : RelayPrinter.type(t);
  }

  /** {@code name: shape (1, 10) float32 min=.. max=.. mean=..}. */
  static String summary(String name, NDArray a) {
    StringJoiner shape = new StringJoiner(", ", "(", ")");
    for (int d : a.shape()) {
      shape.add(Integer.toString(d));
    }
    StringBuilder sb = new StringBuilder(name).append(": shape ").append(shape).append(' ').append(a.dtype());
    if (a.size() == 0) {
      return sb.append(" (empty)").toString();
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    for (int i = 0; i < a.size(); i++) {
      double v = a.getDouble(i);
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    return sb.append(" min=").append(num(min)).append(" max=").append(num(max)).append(" mean=").append(num(sum / a.size()))
        .toString();
  }

  /** Six significant digits without trailing zeros. */
  static String num(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Double.toString(v);
    }
    String s = String.format(Locale.ROOT, "%.6g", v);
    String mantissa = s;
    String exp = "";
    int e = s.indexOf('e');
    if (e >= 0) {
      mantissa = s.substring(0, e);
      exp = s.substring(e);
    }
    if (mantissa.contains(".")) {
      mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return mantissa + exp;
  }
}
