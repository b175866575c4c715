package dev.kbyoc.build;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.GlobalVar;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.pass.DataflowOrder;
import dev.kbyoc.runtime.Interpreter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Calibration data for quantizing codegens ({@code kbyoc build --calibrate DIR}): reads a set of
 * model inputs and computes, with the reference interpreter over the partitioned module, the value
 * each external function receives. Algorithm: 1. a copy of {@code @main} whose body is the tuple
 * of the arguments of every call to a one-input external function; 2. interpret it on each sample;
 * 3. per function symbol, the list of its input over the samples (the codegen's calibration set).
 *
 * <p>Directory layout: one {@code .npy} per model input and sample, named
 * {@code <input>_<k>.npy} with {@code <input>} a parameter of {@code @main} and {@code k = 0, 1, ...}
 * the sample number (e.g. {@code data_0.npy}, {@code data_1.npy}); every sample needs every
 * input, with the input's exact shape and dtype. Other files are ignored.
 */
public final class RegionCalibration {
  private RegionCalibration() {}

  /** The samples of {@code dir} for the inputs of {@code main}: one map (input name -> value) per k. */
  public static List<Map<String, NDArray>> readDir(Path dir, Function main) {
    if (!Files.isDirectory(dir)) {
      throw new KbyocException("--calibrate " + dir + ": no such directory");
    }
    Map<Integer, Map<String, NDArray>> byK = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".npy")).sorted().toList();
    } catch (IOException e) {
      throw new KbyocException("--calibrate " + dir + ": cannot list: " + e.getMessage());
    }
    for (Path f : files) {
      String file = f.getFileName().toString();
      dev.kbyoc.ir.Var param = null;
      int k = -1;
      for (dev.kbyoc.ir.Var p : main.params()) {
        Matcher m = Pattern.compile(Pattern.quote(p.name()) + "_(\\d{1,6})\\.npy").matcher(file);
        if (m.matches()) {
          param = p;
          k = Integer.parseInt(m.group(1));
        }
      }
      if (param == null) {
        throw new KbyocException("--calibrate " + f + ": not named <input>_<k>.npy for an input of the model "
            + main.params().stream().map(dev.kbyoc.ir.Var::name).toList());
      }
      NDArray a = dev.kbyoc.runtime.Npy.read(f);
      TensorType want = (TensorType) param.checkedType();
      if (!a.type().equals(want)) {
        throw new KbyocException("--calibrate " + f + ": has type " + a.type() + ", input %" + param.name()
            + " takes " + want);
      }
      byK.computeIfAbsent(k, x -> new LinkedHashMap<>()).put(param.name(), a);
    }
    if (byK.isEmpty()) {
      throw new KbyocException("--calibrate " + dir + ": no <input>_<k>.npy files for the model inputs "
          + main.params().stream().map(dev.kbyoc.ir.Var::name).toList());
    }
    List<Map<String, NDArray>> samples = new ArrayList<>();
    for (Map.Entry<Integer, Map<String, NDArray>> e : byK.entrySet()) {
      for (dev.kbyoc.ir.Var p : main.params()) {
        if (!e.getValue().containsKey(p.name())) {
          throw new KbyocException("--calibrate " + dir.resolve(p.name() + "_" + e.getKey() + ".npy")
              + ": missing (sample " + e.getKey() + " has other inputs)");
        }
      }
      samples.add(e.getValue());
    }
    return samples;
  }

  /** Per external function symbol, its input on each sample (partitioned, params bound). */
  public static Map<String, List<NDArray>> collect(IRModule module, List<Map<String, NDArray>> samples) {
    IRModule partitioned = dev.kbyoc.pass.InferType.run(module);
    Function main = partitioned.main();
    List<String> symbols = new ArrayList<>();
    List<Expr> args = new ArrayList<>();
    for (Expr e : DataflowOrder.of(main.body())) {
      if (e instanceof Call c && c.op() instanceof GlobalVar g && c.args().size() == 1
          && c.arg(0).checkedType() instanceof TensorType && partitioned.get(g.name()).compiler() != null
          && !symbols.contains(g.name())) {
        symbols.add(g.name());
        args.add(c.arg(0));
      }
    }
    Map<String, List<NDArray>> out = new LinkedHashMap<>();
    if (symbols.isEmpty()) {
      return out;
    }
    Function probe = new Function(main.params(), new Tuple(args));
    Interpreter interp = new Interpreter(partitioned.with(IRModule.MAIN, probe));
    for (String s : symbols) {
      out.put(s, new ArrayList<>());
    }
    for (Map<String, NDArray> sample : samples) {
      List<NDArray> values = interp.runFlat(sample);
      for (int i = 0; i < symbols.size(); i++) {
        out.get(symbols.get(i)).add(values.get(i));
      }
    }
    return out;
  }
}
