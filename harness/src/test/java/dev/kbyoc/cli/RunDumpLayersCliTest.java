package dev.kbyoc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.build.SampleModels;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.kendryte.backend.KendryteModule;
import dev.kbyoc.kendryte.sim.SimMode;
import dev.kbyoc.runtime.Npy;
import dev.kbyoc.runtime.PackageReader;
import dev.kbyoc.runtime.RuntimeModule;
import dev.kbyoc.testing.CliRun;
import dev.kbyoc.testing.RelayFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kbyoc run PKG --dump-layers DIR} on the built-in CNN built with {@code --quantize uint8}:
 * one directory per Kendryte function with a uint8 and a float dump per kmodel layer and one table
 * line per layer; the first function's dumps are those of its kmodel run directly on the model
 * input (the region's input), so the recorded inputs are the right ones; misuse is one line, exit 2.
 */
class RunDumpLayersCliTest {
  @TempDir Path dir;
  Path relay;
  Path params;
  NDArray x;
  Path xf;

  @BeforeEach
  void writeModel() throws IOException {
    RelayFiles files = RelayFiles.write(SampleModels.cnnUnpartitioned(5), dir, "cnn");
    relay = files.relay();
    params = files.params();
    x = SampleModels.random(new Random(9), 1, 3, 16, 16);
    xf = dir.resolve("x.npy");
    Npy.write(xf, x);
  }

  private Path build(String quantize) {
    Path pkg = dir.resolve(quantize + ".kbyoc");
    CliRun b = CliRun.of("build", relay.toString(), "--params", params.toString(), "--target", "kendryte",
        "--quantize", quantize, "-o", pkg.toString());
    assertEquals(0, b.code(), b.err());
    return pkg;
  }

  private static List<KendryteModule> kmodels(Path pkg) throws IOException {
    List<KendryteModule> r = new ArrayList<>();
    for (RuntimeModule m : PackageReader.read(Files.readAllBytes(pkg), pkg.toString()).modules()) {
      if (m instanceof KendryteModule k) {
        r.add(k);
      }
    }
    return r;
  }

  private static List<Path> files(Path d, String suffix) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  @Test
  void everyKmodelLayerOfEveryFunctionIsDumpedOnItsRecordedInput() throws IOException {
    Path pkg = build("uint8");
    List<KendryteModule> ks = kmodels(pkg);
    assertEquals(2, ks.size());
    Path dump = dir.resolve("dump");
    CliRun r = CliRun.of("run", pkg.toString(), "--input", "data=" + xf, "--dump-layers", dump.toString());
    assertEquals(0, r.code(), r.err());
    for (KendryteModule k : ks) {
      String sym = k.function().symbol();
      int layers = k.function().model().layers().size();
      assertTrue(r.out().contains(sym + ": " + layers + " layers -> "), r.out());
      assertEquals(layers, files(dump.resolve(sym), "_uint8.npy").size(), sym);
      assertEquals(layers, files(dump.resolve(sym), "_float.npy").size(), sym);
    }
    assertEquals(ks.stream().mapToInt(k -> k.function().model().layers().size()).sum(),
        r.out().lines().filter(l -> l.startsWith("layer ") && l.contains("cosine")).count(), r.out());
    KendryteModule first = ks.stream().filter(k -> k.function().symbol().equals("kendryte_0")).findFirst().orElseThrow();
    NDArray direct = first.function().run(List.of(x), SimMode.UINT8).get(0);
    List<Path> u8 = files(dump.resolve("kendryte_0"), "_uint8.npy");
    NDArray last = Npy.read(u8.get(u8.size() - 1));
    assertEquals(direct.size(), last.size());
    for (int i = 0; i < direct.size(); i++) {
      assertEquals(direct.getDouble(i), last.getDouble(i), 0, "element " + i);
    }
    assertArrayEquals(Npy.read(files(dump.resolve("kendryte_0"), "_float.npy").get(0)).shape(),
        Npy.read(u8.get(0)).shape());
  }

  @Test
  void misuseIsOneLineExitTwo() {
    CliRun model = CliRun.of("run", relay.toString(), "--input", "data=" + xf, "--dump-layers", dir.resolve("d").toString());
    assertEquals(2, model.code());
    assertTrue(model.err().strip().matches("kbyoc: error: .*cnn\\.relay: --dump-layers needs a package .*"), model.err());
    Path pkg = build("float");
    CliRun floats = CliRun.of("run", pkg.toString(), "--input", "data=" + xf, "--dump-layers", dir.resolve("e").toString());
    assertEquals(2, floats.code());
    assertEquals(1, floats.err().strip().lines().count(), floats.err());
    assertTrue(floats.err().contains("build with --quantize uint8"), floats.err());
  }
}
