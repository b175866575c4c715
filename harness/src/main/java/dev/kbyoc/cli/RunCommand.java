package dev.kbyoc.cli;

import dev.kbyoc.build.BuildOptions;
import dev.kbyoc.build.BuildResult;
import dev.kbyoc.build.RelayBuild;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.runtime.GraphJson;
import dev.kbyoc.runtime.GraphRuntime;
import dev.kbyoc.runtime.Interpreter;
import dev.kbyoc.runtime.LoadedPackage;
import dev.kbyoc.runtime.Npy;
import dev.kbyoc.runtime.PackageReader;
import dev.kbyoc.runtime.ParamsFormat;
import dev.kbyoc.runtime.RuntimeModule;
import dev.kbyoc.runtime.WarningSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kbyoc run MODEL_OR_PKG [--params P] [--input NAME=FILE.npy]... [--engine
 * graph|interpreter] [--out DIR]}: runs a package on the graph runtime, or a Relay model on the
 * reference interpreter (or, with {@code --engine graph}, built in memory and run on the graph
 * runtime). Prints one summary line per output and writes {@code output_<i>.npy} into DIR;
 * runtime warnings go to stderr.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a model or a package.")
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MODEL_OR_PKG", description = "model (.relay, .onnx) or package")
  Path target;

  @Option(names = "--params", paramLabel = "P", description = "TVM params binary for a .relay model")
  Path params;

  @Option(names = "--shape", paramLabel = "NAME=1x3x224x224", description = "fix an ONNX input's shape (repeatable)")
  java.util.List<String> shapes = new java.util.ArrayList<>();

  @Option(names = "--input", paramLabel = "NAME=FILE.npy", description = "an input tensor (repeatable)")
  List<String> inputs = new ArrayList<>();

  @Option(names = "--engine", description = "graph or interpreter (default: graph for a package, interpreter for a model)")
  String engine;

  @Option(names = "--out", paramLabel = "DIR", description = "directory for output_<i>.npy")
  Path out;

  @Override
  public Integer call() {
    Map<String, NDArray> in = new LinkedHashMap<>();
    for (String s : inputs) {
      int eq = s.indexOf('=');
      if (eq <= 0) {
        throw new KbyocException("--input expects NAME=FILE.npy, got [" + s + "]");
      }
      in.put(s.substring(0, eq), Npy.read(Path.of(s.substring(eq + 1))));
    }
    boolean pkg = ModelFiles.isPackage(target);
    String eng = engine != null ? engine : pkg ? "graph" : "interpreter";
    if (!eng.equals("graph") && !eng.equals("interpreter")) {
      throw new KbyocException("--engine must be graph or interpreter, got [" + eng + "]");
    }
    List<NDArray> outputs;
    if (pkg) {
      if (eng.equals("interpreter")) {
        throw new KbyocException(target + ": a package runs on the graph engine only");
      }
      LoadedPackage p = PackageReader.read(target);
      outputs = runGraph(p.graph(), p.modules(), ParamsFormat.decode(p.params(), target + "!params.bin"), in);
    } else {
      ModelFiles.Model m = ModelFiles.load(target, params, shapes);
      if (eng.equals("interpreter")) {
        Map<String, NDArray> all = new LinkedHashMap<>(m.weights());
        all.putAll(in);
        outputs = new Interpreter(m.module()).runFlat(all);
      } else {
        BuildResult r = RelayBuild.build(m.module(), m.weights(), BuildOptions.DEFAULT);
        outputs = runGraph(r.graph(), r.modules(), r.params(), in);
      }
    }
    if (out != null) {
      try {
        Files.createDirectories(out);
      } catch (IOException e) {
        throw new KbyocException("cannot create output directory " + out + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    for (int i = 0; i < outputs.size(); i++) {
      NDArray a = outputs.get(i);
      String where = "";
      if (out != null) {
        Path f = out.resolve("output_" + i + ".npy");
        Npy.write(f, a);
        where = " -> " + f;
      }
      System.out.println("output " + i + ": " + summary(a) + where);
    }
    return 0;
  }

  private List<NDArray> runGraph(GraphJson g, List<RuntimeModule> modules, Map<String, NDArray> params, Map<String, NDArray> in) {
    GraphRuntime rt = new GraphRuntime(g, modules, WarningSink.STDERR);
    rt.loadParams(params);
    Set<String> missing = new LinkedHashSet<>(rt.inputNames());
    missing.removeAll(params.keySet());
    for (Map.Entry<String, NDArray> e : in.entrySet()) {
      rt.setInput(e.getKey(), e.getValue());
      missing.remove(e.getKey());
    }
    if (!missing.isEmpty()) {
      throw new KbyocException("no value given for input " + missing + " (use --input NAME=FILE.npy)");
    }
    rt.run();
    List<NDArray> outputs = new ArrayList<>();
    for (int i = 0; i < rt.numOutputs(); i++) {
      outputs.add(rt.getOutput(i));
    }
    return outputs;
  }

  static String summary(NDArray a) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    for (int i = 0; i < a.size(); i++) {
      double v = a.getDouble(i);
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    return a.type().toRelay() + (a.size() == 0 ? "" : String.format(" min %.6g max %.6g mean %.6g", min, max, sum / a.size()));
  }
}
