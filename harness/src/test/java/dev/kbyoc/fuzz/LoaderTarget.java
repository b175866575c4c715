package dev.kbyoc.fuzz;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.text.RelayParser;
import dev.kbyoc.kendryte.format.KmodelReader;
import dev.kbyoc.onnx.OnnxImporter;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.runtime.GraphJsonReader;
import dev.kbyoc.runtime.Npy;
import dev.kbyoc.runtime.PackageManifest;
import dev.kbyoc.runtime.PackageReader;
import dev.kbyoc.runtime.ParamsFormat;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * One loader under attack and the robustness oracle every input must pass: the loader either
 * returns, or throws a {@link KbyocException} whose message is one line starting with the source
 * name it was given. Anything else is a crash: another exception (a bug), an {@link Error}
 * (OutOfMemoryError, StackOverflowError), or allocating more than {@link #allocationBound} bytes
 * while loading, which is what "validate before allocating" rules out.
 */
public enum LoaderTarget {
  PARAMS("fuzz.params", b -> ParamsFormat.decode(b, "fuzz.params")),
  NPY("fuzz.npy", b -> Npy.decode(b, "fuzz.npy")),
  KMODEL("kmodel fuzz.kmodel", b -> KmodelReader.read("fuzz.kmodel", b)),
  PACKAGE("fuzz.kbpkg", b -> PackageReader.read(b, "fuzz.kbpkg")),
  MANIFEST("fuzz.kbpkg", b -> PackageManifest.parse(b, "fuzz.kbpkg")),
  GRAPH_JSON("fuzz.kbpkg!graph.json",
      b -> GraphJsonReader.read(new String(b, StandardCharsets.UTF_8), "fuzz.kbpkg!graph.json")),
  ONNX("fuzz.onnx", b -> OnnxImporter.fromBytes(b, "fuzz.onnx", OnnxImporter.Options.DEFAULT)),
  RELAY("fuzz.relay",
      b -> RelayParser.parse("fuzz.relay", new String(b, StandardCharsets.UTF_8), List.of(), InferType::run));

  private final String source;
  private final Consumer<byte[]> load;

  LoaderTarget(String source, Consumer<byte[]> load) {
    this.source = source;
    this.load = load;
  }

  /** The corpus folder name of this target ({@code LoaderFuzzTestInputs/<dir>}). */
  public String dir() {
    return switch (this) {
      case PARAMS -> "params";
      case NPY -> "npy";
      case KMODEL -> "kmodel";
      case PACKAGE -> "packageArchive";
      case MANIFEST -> "manifest";
      case GRAPH_JSON -> "graphJson";
      case ONNX -> "onnx";
      case RELAY -> "relay";
    };
  }

  /** Most bytes one load may allocate: generous for parsing, far below what a lying length field asks. */
  static long allocationBound(int inputLength) {
    return (96L << 20) + 512L * inputLength;
  }

  /** Runs the loader on {@code data}; throws {@link AssertionError} or the escaping throwable on a crash. */
  public void check(byte[] data) {
    // the first load may initialise registries and load (and, under Jazzer, instrument) classes;
    // only the second, warm load of the same input is measured
    run(data);
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = mx.getCurrentThreadAllocatedBytes();
    run(data);
    long used = mx.getCurrentThreadAllocatedBytes() - before;
    if (used > allocationBound(data.length)) {
      throw new AssertionError(this + ": loading " + data.length + " bytes allocated " + used + " bytes");
    }
  }

  /** Loads without the oracle (for seeds, which must simply load). */
  void load(byte[] data) {
    load.accept(data);
  }

  private void run(byte[] data) {
    try {
      load.accept(data);
    } catch (KbyocException e) {
      String m = e.getMessage();
      if (m == null || m.indexOf('\n') >= 0 || m.indexOf('\r') >= 0) {
        throw new AssertionError(this + ": error message is not one line: " + m, e);
      }
      if (!m.startsWith(source)) {
        throw new AssertionError(this + ": error message does not name the source [" + source + "]: " + m, e);
      }
    }
  }
}
