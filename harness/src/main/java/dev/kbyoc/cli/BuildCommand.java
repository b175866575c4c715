package dev.kbyoc.cli;

import dev.kbyoc.build.BuildOptions;
import dev.kbyoc.build.BuildResult;
import dev.kbyoc.build.PartitionFlow;
import dev.kbyoc.build.RegionCalibration;
import dev.kbyoc.build.RelayBuild;
import dev.kbyoc.frontend.ModelLoader;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.op.Targets;
import dev.kbyoc.runtime.PackageWriter;
import dev.kbyoc.runtime.RuntimeModule;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kbyoc build MODEL [--params P] [--target kendryte|none] [--quantize float|uint8]
 * [--calibrate DIR] [--constant-updater registered|default] -o PKG}: builds a model for the graph
 * executor and exports one package.
 * With {@code --target kendryte} an unpartitioned model goes through the BYOC flow first
 * ({@code bind_params_by_name}, AnnotateTarget, MergeCompilerRegions, PartitionGraph); a model
 * that already holds external functions is built as it is.
 * With {@code --constant-updater default} the codegens' registered updaters are bypassed on
 * purpose (the seed bug); the invariant violation is then printed as a warning instead of failing.
 * {@code --quantize} picks the kmodels' numbers (float: kbyoc's float variant, equal to the host;
 * uint8: real K210 kmodels); {@code --calibrate DIR} gives uint8 ranges from real inputs
 * ({@link RegionCalibration}) instead of the codegen's seeded synthetic set.
 */
@Command(name = "build", mixinStandardHelpOptions = true, description = "Build a model and export a package.")
final class BuildCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MODEL", description = "model: Relay text (.relay) or ONNX (.onnx)")
  Path model;

  @Option(names = "--params", paramLabel = "P", description = "TVM params binary: meta constants and weights bound by name")
  Path params;

  @Option(names = "--shape", paramLabel = "NAME=1x3x224x224", description = "fix an ONNX input's shape (repeatable)")
  java.util.List<String> shapes = new java.util.ArrayList<>();

  @Option(names = "--target", defaultValue = "kendryte", description = "kendryte or none (default ${DEFAULT-VALUE})")
  String target;

  @Option(names = "--constant-updater", defaultValue = "registered",
      description = "registered (each codegen's own) or default (force TVM's default updater: the seed bug)")
  String updater;

  @Option(names = "--quantize", defaultValue = BuildOptions.FLOAT, paramLabel = "float|uint8",
      description = "kmodel numbers: float (kbyoc's float variant, equal to the host build; simulator only) or uint8"
          + " (real K210 kmodels); default ${DEFAULT-VALUE}")
  String quantize;

  @Option(names = "--calibrate", paramLabel = "DIR", description = "uint8 calibration inputs: DIR/<input>_<k>.npy"
      + " (k = 0, 1, ...; every model input per sample); without it the codegen calibrates on a seeded synthetic"
      + " set (4 uniform [-1, 1] inputs per region)")
  Path calibrate;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "PKG", description = "package file to write")
  Path output;

  @Override
  public Integer call() {
    if (!updater.equals("registered") && !updater.equals("default")) {
      throw new KbyocException("--constant-updater must be registered or default, got [" + updater + "]");
    }
    if (!target.equals("kendryte") && !target.equals("none")) {
      throw new KbyocException("--target must be kendryte or none, got [" + target + "]");
    }
    BuildOptions options = BuildOptions.DEFAULT.withQuantize(quantize).withForceDefaultUpdater(updater.equals("default"));
    if (calibrate != null && target.equals("none")) {
      throw new KbyocException("--calibrate " + calibrate + ": needs --target kendryte (nothing to calibrate)");
    }
    ModelLoader.Model m = ModelLoader.load(model, params, dev.kbyoc.onnx.OnnxImporter.parseShapes(shapes));
    IRModule module = m.module();
    boolean partitioned = module.functions().values().stream().anyMatch(f -> f.compiler() != null);
    if (target.equals("none") && partitioned) {
      throw new KbyocException(model + ": --target none, but the module already holds external functions "
          + module.functions().entrySet().stream().filter(e -> e.getValue().compiler() != null).map(e -> "@" + e.getKey()).toList());
    }
    java.util.Map<String, dev.kbyoc.ir.NDArray> weights = m.params();
    for (String name : dev.kbyoc.pass.BindParams.unknownNames(module.main(), weights.keySet())) {
      System.err.println("kbyoc: warning: param [" + name + "] matches no parameter of @main (ignored)");
    }
    if (target.equals("kendryte") && !partitioned) {
      module = PartitionFlow.run(module, weights, Targets.get("kendryte"));
      weights = java.util.Map.of();
    }
    if (calibrate != null) {
      IRModule bound = weights.isEmpty() ? module : dev.kbyoc.pass.BindParams.run(module, weights);
      bound = dev.kbyoc.pass.InferType.run(bound);
      options = options.withCalibration(RegionCalibration.collect(bound, RegionCalibration.readDir(calibrate,
          bound.main())));
    }
    BuildResult r = RelayBuild.build(module, weights, options);
    r.warnings().forEach(w -> System.err.println("kbyoc: warning: " + w));
    long size = PackageWriter.write(output, r.graphJson(), r.params(), r.modules());
    StringBuilder mods = new StringBuilder();
    for (RuntimeModule mod : r.modules()) {
      mods.append(mods.length() == 0 ? "" : ", ").append(mod.typeKey()).append(" (").append(mod.symbols().size()).append(" functions)");
    }
    long paramBytes = r.params().values().stream().mapToLong(NDArray::byteSize).sum();
    System.out.println("wrote " + output + ": " + size + " bytes; " + r.params().size() + " params (" + paramBytes
        + " bytes of data); modules: " + mods);
    return 0;
  }
}
