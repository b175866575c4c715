package dev.kbyoc.cli;

import dev.kbyoc.frontend.ModelLoader;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.text.RelayPrinter;
import dev.kbyoc.op.Support;
import dev.kbyoc.op.Target;
import dev.kbyoc.op.Targets;
import dev.kbyoc.pass.AnnotateTarget;
import dev.kbyoc.pass.BindParams;
import dev.kbyoc.pass.MergeCompilerRegions;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.pass.LegalizeRegions;
import dev.kbyoc.pass.PartitionGraph;
import dev.kbyoc.pass.PassContext;
import dev.kbyoc.onnx.OnnxImporter;
import dev.kbyoc.runtime.ParamsFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kbyoc partition}: bind_params_by_name, AnnotateTarget, MergeCompilerRegions and
 * PartitionGraph on a model; prints the partitioned Relay text or, with {@code --json}, the
 * summary of DESIGN.md.
 */
@Command(name = "partition", mixinStandardHelpOptions = true,
    description = "Partition a model for an external codegen target (bind params, annotate, merge, partition).")
final class PartitionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "Relay text (.relay) or ONNX (.onnx) model")
  Path model;

  @Option(names = "--params", paramLabel = "P", description = "params file (TVM format): weights bound by name, meta constants")
  Path params;

  @Option(names = "--shape", paramLabel = "NAME=1x3x224x224",
      description = "fixes the shape of ONNX input NAME (for dynamic dims; repeatable)")
  List<String> shapeSpecs = new java.util.ArrayList<>();

  @Option(names = "--target", paramLabel = "NAME", defaultValue = "kendryte",
      description = "built-in target, or the name of the target defined by --supported-ops (default: ${DEFAULT-VALUE})")
  String target;

  @Option(names = "--supported-ops", paramLabel = "OP", split = ",",
      description = "define target NAME as supporting exactly these ops")
  List<String> supportedOps;

  @Option(names = "--json", description = "print the partition summary as JSON instead of Relay text")
  boolean json;

  @Option(names = "--dot", paramLabel = "FILE", description = "write Graphviz of the regions (and FILE.svg when `dot` is installed)")
  Path dot;

  @Option(names = "--dump-ir", paramLabel = "DIR", description = "write the module after every pass to DIR")
  Path dumpDir;

  @Option(names = "--explain", description = "print to stderr each op's target and why other targets refuse it")
  boolean explain;

  @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "write the partitioned Relay text (and OUT's .params sidecar) here")
  Path out;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    Target t = supportedOps != null ? Target.ofOps(target, supportedOps) : Targets.get(target);
    ModelLoader.Model loaded = ModelLoader.load(model, params, shapes());
    IRModule m = loaded.module();
    m.main();
    for (String name : BindParams.unknownNames(m.main(), loaded.params().keySet())) {
      stderr.println("kbyoc: warning: param [" + name + "] matches no parameter of @main; ignored");
    }
    PassContext ctx = PassContext.defaults();
    if (dumpDir != null) {
      createDirs(dumpDir);
      ctx = ctx.withDump(dumpDir, (step, mod) -> writeRelay(dumpDir.resolve(step + ".relay"), mod));
    }
    m = ctx.run(BindParams.create(loaded.params()), m);
    m = InferType.run(m);
    if (explain) {
      explain(stderr, m, t);
    }
    m = ctx.run(AnnotateTarget.create(List.of(t)), m);
    IRModule merged = ctx.run(MergeCompilerRegions.create(), m);
    IRModule partitioned = ctx.run(PartitionGraph.create(), merged);
    LegalizeRegions.Result legal = LegalizeRegions.run(partitioned, List.of(t));
    partitioned = legal.module();
    if (explain) {
      legal.rejected().forEach((fn, why) -> stderr.println("@" + fn + " -> host (region rejected by " + t.name() + ": " + why + ")"));
    }
    if (dot != null) {
      writeDot(stderr, merged);
    }
    if (out != null) {
      writeRelay(out, partitioned);
    }
    if (json) {
      stdout.println(PartitionJson.render(partitioned));
    } else if (out == null) {
      RelayPrinter.Printed p = RelayPrinter.print(partitioned);
      stdout.print(p.text());
      if (!p.constants().isEmpty()) {
        stderr.println("kbyoc: note: " + p.constants().size() + " constants are printed as meta[relay.Constant][i];"
            + " use -o OUT to write them to OUT's .params sidecar");
      }
    }
    stdout.flush();
    stderr.flush();
    return 0;
  }

  private Map<String, int[]> shapes() {
    return OnnxImporter.parseShapes(shapeSpecs);
  }

  private static void explain(PrintWriter err, IRModule m, Target t) {
    for (AnnotateTarget.Decision d : AnnotateTarget.explain(m.main(), List.of(t))) {
      StringBuilder line = new StringBuilder(d.call().describe()).append(' ').append(d.call().opOrNull().name())
          .append(" -> ").append(d.target());
      for (Map.Entry<String, Support> v : d.verdicts().entrySet()) {
        if (!v.getValue().supported()) {
          line.append(" (").append(v.getKey()).append(": ").append(v.getValue().reason()).append(')');
        }
      }
      err.println(line);
    }
  }

  private void writeDot(PrintWriter err, IRModule merged) {
    String text = PartitionDot.render(merged.main());
    write(dot, text);
    String name = dot.getFileName().toString();
    Path svg = dot.resolveSibling(name.replaceFirst("\\.dot$", "") + ".svg");
    try {
      Process p = new ProcessBuilder("dot", "-Tsvg", dot.toString(), "-o", svg.toString())
          .redirectErrorStream(true).start();
      String msg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor() != 0) {
        err.println("kbyoc: warning: dot failed to render " + svg + ": " + msg);
      }
    } catch (IOException e) {
      err.println("kbyoc: note: Graphviz `dot` is not on PATH; wrote " + dot + " only");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Writes Relay text, plus its meta constants to the sibling {@code .params} file when there are any. */
  static void writeRelay(Path file, IRModule m) {
    RelayPrinter.Printed p = RelayPrinter.print(m);
    write(file, p.text());
    if (!p.constants().isEmpty()) {
      String name = file.getFileName().toString();
      ParamsFormat.write(file.resolveSibling(name.replaceFirst("\\.relay$", "") + ".params"), p.sidecar());
    }
  }

  private static void write(Path file, String text) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KbyocException(file + ": cannot write: " + e.getMessage());
    }
  }

  private static void createDirs(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new KbyocException(dir + ": cannot create directory: " + e.getMessage());
    }
  }

}
