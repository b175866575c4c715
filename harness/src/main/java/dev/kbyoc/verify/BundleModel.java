package dev.kbyoc.verify;

import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Var;
import dev.kbyoc.ir.text.MetaConstants;
import dev.kbyoc.ir.text.RelayParser;
import dev.kbyoc.ir.text.RelayPrinter;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.runtime.Npy;
import dev.kbyoc.runtime.ParamsFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model part of a repro bundle: {@code model.relay} (Relay text, weights as free
 * parameters) with its sidecar {@code model.params} (TVM params binary holding the
 * {@code meta[relay.Constant][i]} data and the weights by name), and {@code inputs/<name>.npy}.
 */
final class BundleModel {
  static final String MODEL = "model.relay";
  static final String PARAMS = "model.params";

  private BundleModel() {}

  static void write(Path dir, GraphCase c) throws IOException {
    RelayPrinter.Printed p = RelayPrinter.print(c.module());
    Files.writeString(dir.resolve(MODEL), p.text(), StandardCharsets.UTF_8);
    Map<String, NDArray> params = new LinkedHashMap<>(p.sidecar());
    params.putAll(c.params());
    ParamsFormat.write(dir.resolve(PARAMS), params);
    for (Map.Entry<String, NDArray> in : c.inputs().entrySet()) {
      writeNpy(dir.resolve("inputs").resolve(in.getKey() + ".npy"), in.getValue());
    }
  }

  static void writeNpy(Path file, NDArray a) {
    Npy.write(file, a);
  }

  /** Reads the model, weights and inputs of a bundle; every {@code @main} parameter needs a value. */
  static GraphCase read(Path dir, long seed, GenOptions opts) throws IOException {
    Path model = dir.resolve(MODEL);
    if (!Files.isRegularFile(model)) {
      throw new KbyocException(dir + " is not a repro bundle: no " + MODEL);
    }
    Map<String, NDArray> all = Files.isRegularFile(dir.resolve(PARAMS)) ? ParamsFormat.read(dir.resolve(PARAMS)) : Map.of();
    List<NDArray> meta = MetaConstants.fromParams(all, dir.resolve(PARAMS).toString());
    IRModule m = RelayParser.parse(model.toString(), Files.readString(model, StandardCharsets.UTF_8), meta, InferType::run);
    Map<String, NDArray> weights = new LinkedHashMap<>();
    Map<String, NDArray> inputs = new LinkedHashMap<>();
    for (Var v : m.main().params()) {
      Path npy = dir.resolve("inputs").resolve(v.name() + ".npy");
      if (all.containsKey(v.name())) {
        weights.put(v.name(), all.get(v.name()));
      } else if (Files.isRegularFile(npy)) {
        inputs.put(v.name(), Npy.read(npy));
      } else {
        throw new KbyocException(dir + ": no value for parameter %" + v.name() + " (neither in " + PARAMS + " nor inputs/"
            + v.name() + ".npy)");
      }
    }
    return new GraphCase(m, weights, inputs, seed, opts);
  }
}
