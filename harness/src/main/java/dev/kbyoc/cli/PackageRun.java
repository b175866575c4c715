package dev.kbyoc.cli;

import dev.kbyoc.build.BuildOptions;
import dev.kbyoc.build.BuildResult;
import dev.kbyoc.build.RelayBuild;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.kendryte.backend.KendryteModule;
import dev.kbyoc.runtime.GraphJson;
import dev.kbyoc.runtime.GraphRuntime;
import dev.kbyoc.runtime.LoadedPackage;
import dev.kbyoc.runtime.Npy;
import dev.kbyoc.runtime.PackageReader;
import dev.kbyoc.runtime.ParamsFormat;
import dev.kbyoc.runtime.RuntimeModule;
import dev.kbyoc.runtime.WarningSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs packages and built modules on the graph runtime for {@code kbyoc run}: the {@code graph}
 * engine builds the module in memory and runs it; a package file is loaded (and verified) and run.
 * Runtime warnings such as {@code cannot find "..." among input} go to stderr.
 */
final class PackageRun {
  private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

  private PackageRun() {}

  /** The {@code graph} engine: {@code relay.build} in memory, then the graph runtime. */
  static final RunEngine GRAPH = new RunEngine() {
    @Override
    public String name() {
      return "graph";
    }

    @Override
    public List<NDArray> run(IRModule module, Map<String, NDArray> values) {
      BuildResult r = RelayBuild.build(module, Map.of(), BuildOptions.DEFAULT);
      r.warnings().forEach(w -> System.err.println("kbyoc: warning: " + w));
      return runGraph(r.graph(), r.modules(), r.params(), values);
    }
  };

  /** Whether {@code file} starts with the package (zip) magic. */
  static boolean isPackage(Path file) {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file)) {
      return Arrays.equals(in.readNBytes(4), ZIP_MAGIC);
    } catch (IOException e) {
      throw new KbyocException(file + ": cannot read (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Loads, verifies and runs a package with inputs read from {@code .npy} files by input name. */
  static List<NDArray> runPackage(Path pkg, Map<String, Path> inputFiles) {
    return runPackage(pkg, inputFiles, null, null);
  }

  /**
   * As {@link #runPackage(Path, Map)}; with {@code dumpDir}, also dumps every layer of every
   * Kendryte module on the input it received in this run ({@link LayerDump}, one directory per
   * function under {@code dumpDir}, a header line per function on {@code out}).
   */
  static List<NDArray> runPackage(Path pkg, Map<String, Path> inputFiles, Path dumpDir, PrintWriter out) {
    LoadedPackage p = PackageReader.read(pkg);
    Map<String, NDArray> params = ParamsFormat.decode(p.params(), pkg + "!params.bin");
    Map<String, NDArray> inputs = new java.util.LinkedHashMap<>();
    inputFiles.forEach((name, file) -> inputs.put(name, Npy.read(file)));
    if (dumpDir == null) {
      return runGraph(p.graph(), p.modules(), params, inputs);
    }
    Map<String, NDArray> seen = new LinkedHashMap<>();
    Map<String, KendryteModule> kendryte = new LinkedHashMap<>();
    List<RuntimeModule> modules = new ArrayList<>();
    for (RuntimeModule m : p.modules()) {
      if (m instanceof KendryteModule k) {
        kendryte.put(k.function().symbol(), k);
        modules.add(recording(k, seen));
      } else {
        modules.add(m);
      }
    }
    if (kendryte.isEmpty()) {
      throw new KbyocException(pkg + ": --dump-layers: the package has no kendryte module (build with --target kendryte)");
    }
    List<NDArray> outputs = runGraph(p.graph(), modules, params, inputs);
    for (Map.Entry<String, NDArray> e : seen.entrySet()) {
      KendryteModule k = kendryte.get(e.getKey());
      out.println(e.getKey() + ": " + k.function().model().layers().size() + " layers -> " + dumpDir.resolve(e.getKey()));
      LayerDump.write(dumpDir.resolve(e.getKey()), pkg.getFileName() + "!" + e.getKey(), k.function().model(),
          e.getValue(), out);
    }
    return outputs;
  }

  /** {@code k} that keeps the first input each of its functions receives in {@code seen}. */
  private static RuntimeModule recording(KendryteModule k, Map<String, NDArray> seen) {
    return new RuntimeModule() {
      @Override
      public String typeKey() {
        return k.typeKey();
      }

      @Override
      public List<String> symbols() {
        return k.symbols();
      }

      @Override
      public byte[] serialize() {
        return k.serialize();
      }

      @Override
      public List<NDArray> run(String symbol, List<NDArray> in) {
        if (in.size() == 1) {
          seen.putIfAbsent(symbol, in.get(0));
        }
        return k.run(symbol, in);
      }
    };
  }

  static List<NDArray> runGraph(GraphJson g, List<RuntimeModule> modules, Map<String, NDArray> params, Map<String, NDArray> inputs) {
    GraphRuntime rt = new GraphRuntime(g, modules, WarningSink.STDERR);
    rt.loadParams(params);
    Set<String> missing = new LinkedHashSet<>(rt.inputNames());
    missing.removeAll(params.keySet());
    for (Map.Entry<String, NDArray> e : inputs.entrySet()) {
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
}
