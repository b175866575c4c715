package dev.kbyoc.cli;

import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.kendryte.KmodelInspector;
import dev.kbyoc.kendryte.format.Kmodel;
import dev.kbyoc.kendryte.format.KmodelReader;
import dev.kbyoc.kendryte.sim.KmodelSimulator;
import dev.kbyoc.kendryte.sim.SimMode;
import dev.kbyoc.runtime.Npy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Running and inspecting K210 kmodel v3 files: {@code kbyoc kmodel run FILE.kmodel --input
 * input=x.npy [--mode uint8|float] [--out DIR]} and {@code kbyoc kmodel inspect FILE.kmodel
 * [--json]}. The static {@link #run} and {@link #inspect} are what {@code kbyoc run} and {@code
 * kbyoc inspect} call for a {@code .kmodel} argument.
 */
@Command(name = "kmodel", mixinStandardHelpOptions = true, description = "Run or inspect a K210 kmodel v3 file.",
    subcommands = {KmodelCommands.Run.class, KmodelCommands.Inspect.class})
final class KmodelCommands implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Whether a model argument names a kmodel file. */
  static boolean isKmodel(Path p) {
    return p.getFileName() != null && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".kmodel");
  }

  /**
   * Runs a kmodel on the simulator. One input, named {@code input}: NCHW uint8 when the first layer
   * is a KPU conv (float arrays with integer values 0..255 are accepted), else float32. Prints
   * one line per output (float32) and writes {@code output_<i>.npy} to {@code outDir} if given.
   */
  static int run(Path file, List<String> inputs, Path outDir, SimMode mode, PrintWriter out) {
    return run(file, inputs, outDir, mode, null, out);
  }

  /**
   * As {@link #run(Path, List, Path, SimMode, PrintWriter)}; with {@code dumpDir}, also runs the
   * other mode and writes every layer's output of both ({@code layer_<i>_<TYPE>_uint8.npy},
   * {@code ..._float.npy}) plus a per-layer line: cosine similarity and max abs difference between
   * the bit-exact and the unrounded run (in LSBs for uint8 tensors). A kbyoc float kmodel (header
   * flags bit 1) always runs in float mode and has no uint8 run to dump against.
   */
  static int run(Path file, List<String> inputs, Path outDir, SimMode requested, Path dumpDir, PrintWriter out) {
    Kmodel m = KmodelReader.read(file);
    String name = file.getFileName().toString();
    SimMode mode = m.floatWeights() ? SimMode.FLOAT : requested;
    KmodelSimulator sim = new KmodelSimulator(name, m, mode);
    KmodelSimulator.InputSpec want = sim.inputSpec();
    if (inputs.size() != 1) {
      throw new KbyocException(name + ": a kmodel takes exactly one input, pass --input input=FILE.npy ("
          + want.dtype() + " " + Arrays.toString(want.shape()) + ")");
    }
    String s = inputs.get(0);
    int eq = s.indexOf('=');
    if (eq <= 0 || !s.substring(0, eq).replace("%", "").equals("input")) {
      throw new KbyocException("--input expects input=FILE.npy for a kmodel, got [" + s + "]");
    }
    NDArray in = Npy.read(Path.of(s.substring(eq + 1)));
    if (want.dtype() == DType.FLOAT32 && !in.dtype().isFloat()) {
      throw new KbyocException(name + ": input " + s.substring(eq + 1) + " is " + in.dtype()
          + ", the first layer takes float32");
    }
    KmodelSimulator.Result r = dumpDir == null ? sim.run(in) : LayerDump.write(dumpDir, name, m, in, out).in(mode);
    if (outDir != null) {
      try {
        Files.createDirectories(outDir);
      } catch (IOException e) {
        throw new KbyocException(outDir + ": cannot create output directory: " + e.getMessage());
      }
    }
    for (int i = 0; i < r.outputs().size(); i++) {
      NDArray o = r.outputs().get(i);
      StringBuilder line = new StringBuilder(RunCommand.summary("output_" + i, o));
      if (outDir != null) {
        Path f = outDir.resolve("output_" + i + ".npy");
        Npy.write(f, o);
        line.append(" -> ").append(f);
      }
      out.println(line);
    }
    long macs = r.layers().stream().mapToLong(KmodelSimulator.LayerReport::macs).sum();
    out.println(name + ": " + r.layers().size() + " layers, " + macs + " KPU MACs, mode " + mode.name().toLowerCase(
        Locale.ROOT));
    out.flush();
    return 0;
  }

  /** Prints a kmodel's layers as text or JSON. */
  static int inspect(Path file, boolean json, PrintWriter out) {
    Kmodel m = KmodelReader.read(file);
    String name = file.getFileName().toString();
    out.print(json ? KmodelInspector.json(name, m) + "\n" : KmodelInspector.text(name, m));
    out.flush();
    return 0;
  }

  /** {@code kbyoc kmodel run}. */
  @Command(name = "run", mixinStandardHelpOptions = true, description = "Run a kmodel on the K210 simulator.")
  static final class Run implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.kmodel", description = "kmodel v3 file.")
    Path file;

    @Option(names = "--input", paramLabel = "input=FILE.npy", description = "The model input (NCHW).")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--mode", defaultValue = "uint8",
        description = "uint8 (bit-exact integer KPU) or float (no rounding); default ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--out", paramLabel = "DIR", description = "Directory for output_<i>.npy files.")
    Path out;

    @Option(names = "--dump-layers", paramLabel = "DIR",
        description = "Write every layer's output in uint8 and float mode and print their per-layer difference.")
    Path dump;

    @Override
    public Integer call() {
      SimMode m = switch (mode.toLowerCase(Locale.ROOT)) {
        case "uint8" -> SimMode.UINT8;
        case "float" -> SimMode.FLOAT;
        default -> throw new KbyocException("--mode must be uint8 or float, got [" + mode + "]");
      };
      return KmodelCommands.run(file, inputs, out, m, dump, spec.commandLine().getOut());
    }
  }

  /** {@code kbyoc kmodel inspect}. */
  @Command(name = "inspect", mixinStandardHelpOptions = true,
      description = "Show a kmodel's layers, shapes, quantization, RAM addresses and weight bytes.")
  static final class Inspect implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.kmodel", description = "kmodel v3 file.")
    Path file;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      return KmodelCommands.inspect(file, json, spec.commandLine().getOut());
    }
  }
}
