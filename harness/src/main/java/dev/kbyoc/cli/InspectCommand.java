package dev.kbyoc.cli;

import dev.kbyoc.runtime.LoadedPackage;
import dev.kbyoc.runtime.PackageInspector;
import dev.kbyoc.runtime.PackageReader;
import dev.kbyoc.runtime.ParamsFormat;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kbyoc inspect PKG [--json]}: a package's entries and sizes, every param and whether the
 * graph references it, and the constants stored twice (content hash) with the bytes wasted.
 * Exit 0 when nothing is duplicated or unreferenced, 1 when something is, 2 for a bad package.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Show a package's entries, params (referenced by the graph or not) and duplicated constants.")
final class InspectCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "PKG", description = "package written by 'kbyoc build', or a K210 kmodel (.kmodel)")
  Path pkg;

  @Option(names = "--json", description = "print the report as JSON")
  boolean json;

  @Override
  public Integer call() {
    if (KmodelCommands.isKmodel(pkg)) {
      return KmodelCommands.inspect(pkg, json, new java.io.PrintWriter(System.out, true));
    }
    LoadedPackage p = PackageReader.read(pkg);
    PackageInspector in = new PackageInspector(p, ParamsFormat.decode(p.params(), pkg + "!params.bin"));
    String name = pkg.getFileName().toString();
    System.out.print(json ? in.toJson(name) + "\n" : in.toText(name));
    return in.audit().duplicates().isEmpty() && in.audit().unreferenced().isEmpty() ? 0 : Main.EXIT_FAILED;
  }
}
