package dev.kbyoc.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.Limits;
import dev.kbyoc.ir.NDArray;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import onnx.Onnx.ModelProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.OperatorSetIdProto;

/**
 * Reads an ONNX model into Relay.
 *
 * <p><b>Input:</b> a {@code .onnx} file of the default domain at opset 7..17 (older opsets in their legacy forms), with static input
 * shapes (dynamic dims fixed by {@code --shape NAME=1x3x224x224}).
 * <b>Output:</b> an {@link OnnxModel}: {@code @main(graph inputs..., used initializers...)} and
 * the initializer values by their ONNX names.
 * <b>Algorithm:</b> 1. parse the protobuf and check opsets; 2. define graph inputs (typed Vars) and
 * initializers (Vars, or constants for integer initializers, which are shape/index data);
 * 3. order the nodes topologically, rejecting undefined tensors and cycles; 4. list every op type
 * without a converter and fail once naming them all; 5. convert node by node, folding nodes whose
 * inputs are all known at import time; 6. make the outputs the body (a tuple when several) and
 * the graph inputs plus the initializers the body uses the parameters.
 * <b>Runs before:</b> {@code bind_params_by_name} and the partitioning passes.
 */
public final class OnnxImporter {
  /**
   * Lowest and highest default-domain opset imported. The ops are converted as of opsets 7..17;
   * models declaring an older opset import too, with the legacy forms of the supported ops
   * (broadcast/axis attributes, Reshape's and Pad's attributes) converted or rejected as unsupported.
   */
  public static final int MIN_OPSET = 1;
  public static final int MAX_OPSET = 17;

  /**
   * Import options: {@code shapes} fixes graph input shapes by name (needed for dynamic dims);
   * {@code frozen} replaces graph inputs by constant values (e.g. a Reshape's target shape that a
   * test feeds as an input).
   */
  public record Options(Map<String, int[]> shapes, Map<String, NDArray> frozen) {
    public static final Options DEFAULT = new Options(Map.of(), Map.of());

    public Options {
      shapes = Map.copyOf(shapes);
      frozen = Map.copyOf(frozen);
    }

    public Options withShapes(Map<String, int[]> s) {
      return new Options(s, frozen);
    }

    public Options withFrozen(Map<String, NDArray> f) {
      return new Options(shapes, f);
    }
  }

  private OnnxImporter() {}

  /** Imports a file with default options. */
  public static OnnxModel load(Path file) {
    return load(file, Options.DEFAULT);
  }

  /** Imports a file; every error is a one-line {@link KbyocException} naming the file and node. */
  public static OnnxModel load(Path file, Options options) {
    return fromBytes(Limits.readFile(file, "ONNX model"), file.toString(), options);
  }

  /** Imports serialized ONNX; {@code file} names the source in messages. */
  public static OnnxModel fromBytes(byte[] bytes, String file, Options options) {
    try {
      return importBytes(bytes, file, options);
    } catch (OnnxUnsupportedException e) {
      throw new OnnxUnsupportedException(oneLine(e.getMessage()), e.staticInput());
    } catch (ArithmeticException e) {
      // Math.*Exact on a dimension, attribute or index read from the file (the converters use int sizes)
      throw new KbyocException(file + ": a dimension, attribute or index in the model overflows 32 bits ("
          + e.getMessage() + ")", e);
    } catch (KbyocException e) {
      String m = e.getMessage().startsWith(file) ? e.getMessage() : file + ": " + e.getMessage();
      throw new KbyocException(oneLine(m), e);
    }
  }

  /** Escapes control characters (names in a corrupt file may hold newlines) to keep messages one line. */
  static String oneLine(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (Character.isISOControl(c)) {
        sb.append(String.format("\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static OnnxModel importBytes(byte[] bytes, String file, Options options) {
    ModelProto model;
    try {
      model = ModelProto.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new KbyocException(file + ": not a valid ONNX model (truncated or corrupt protobuf: " + e.getMessage() + ")");
    }
    if (!model.hasGraph() || model.getIrVersion() <= 0) {
      throw new KbyocException(file + ": not an ONNX model (no graph or ir_version)");
    }
    int opset = checkOpsets(file, model);
    return new GraphImport(file, opset, model.getGraph(), options).run();
  }

  /**
   * The default-domain opset version. A node of a domain the model does not import is malformed;
   * one of an imported domain other than ai.onnx is unsupported, as is an opset outside 7..17.
   */
  private static int checkOpsets(String file, ModelProto model) {
    Set<String> domains = new HashSet<>();
    int opset = -1;
    for (OperatorSetIdProto o : model.getOpsetImportList()) {
      String d = o.getDomain();
      domains.add(d);
      if (d.isEmpty() || d.equals("ai.onnx")) {
        opset = (int) o.getVersion();
      }
    }
    List<NodeProto> nodes = model.getGraph().getNodeList();
    for (int i = 0; i < nodes.size(); i++) {
      String d = nodes.get(i).getDomain();
      if (d.isEmpty() || d.equals("ai.onnx")) {
        continue;
      }
      String where = ImportContext.describe(file, nodes.get(i), i);
      if (!domains.contains(d)) {
        throw new KbyocException(where + ": unknown opset domain '" + d + "' (not imported by the model)");
      }
      throw new OnnxUnsupportedException(where + ": opset domain '" + d + "' is not supported (only ai.onnx)");
    }
    if (opset < 0) {
      throw new KbyocException(file + ": the model imports no default-domain (ai.onnx) opset");
    }
    if (opset < MIN_OPSET || opset > MAX_OPSET) {
      throw new OnnxUnsupportedException(file + ": opset version " + opset + " is not supported (supported: "
          + MIN_OPSET + ".." + MAX_OPSET + ")");
    }
    return opset;
  }

  /** Parses repeated {@code --shape NAME=DIMS} options; a name given twice is an error. */
  public static Map<String, int[]> parseShapes(List<String> specs) {
    Map<String, int[]> out = new LinkedHashMap<>();
    for (String s : specs == null ? List.<String>of() : specs) {
      Map.Entry<String, int[]> e = parseShape(s);
      if (out.put(e.getKey(), e.getValue()) != null) {
        throw new KbyocException("--shape " + e.getKey() + " is given twice");
      }
    }
    return out;
  }

  /** Parses {@code NAME=1x3x224x224} into a map entry value; an error naming the bad text. */
  public static Map.Entry<String, int[]> parseShape(String spec) {
    int eq = spec.lastIndexOf('=');
    if (eq <= 0 || eq == spec.length() - 1) {
      throw new KbyocException("--shape [" + spec + "] must look like NAME=1x3x224x224");
    }
    String[] dims = spec.substring(eq + 1).split("[x,]", -1);
    int[] shape = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      try {
        shape[i] = Integer.parseInt(dims[i].trim());
      } catch (NumberFormatException e) {
        shape[i] = -1;
      }
      if (shape[i] < 0) {
        throw new KbyocException("--shape [" + spec + "]: dimension [" + dims[i] + "] is not a non-negative integer");
      }
    }
    return Map.entry(spec.substring(0, eq), shape);
  }
}
