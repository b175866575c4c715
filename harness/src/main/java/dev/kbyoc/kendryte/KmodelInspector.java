package dev.kbyoc.kendryte;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kbyoc.kendryte.format.CpuLayer;
import dev.kbyoc.kendryte.format.FloatKpuTables;
import dev.kbyoc.kendryte.format.K210ConvLayer;
import dev.kbyoc.kendryte.format.KLayer;
import dev.kbyoc.kendryte.format.Kmodel;
import dev.kbyoc.kendryte.format.KmodelOutput;
import dev.kbyoc.kendryte.format.KpuField;
import dev.kbyoc.kendryte.format.KpuLayerArgument;
import dev.kbyoc.kendryte.format.LayerSchema;
import dev.kbyoc.kendryte.sim.KpuLayout;
import dev.kbyoc.kendryte.sim.KpuPoolUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Describes a kmodel for {@code kbyoc inspect}: header, outputs and per layer its type, shapes,
 * quantization parameters, KPU RAM and main-memory addresses and weight bytes, as text or JSON.
 */
public final class KmodelInspector {
  private KmodelInspector() {}

  /** The description as an ordered map (the JSON structure). */
  public static Map<String, Object> describe(String name, Kmodel m) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("file", name);
    r.put("version", m.version());
    r.put("weights_bits", m.weightBytes() * 8);
    r.put("arch", m.arch());
    r.put("max_start_address", m.maxStartAddress());
    r.put("main_mem_usage", m.mainMemUsage());
    List<Map<String, Object>> outs = new ArrayList<>();
    for (KmodelOutput o : m.outputs()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("address", o.address());
      e.put("size", o.size());
      outs.add(e);
    }
    r.put("outputs", outs);
    List<Map<String, Object>> layers = new ArrayList<>();
    long totalWeights = 0;
    for (int i = 0; i < m.layers().size(); i++) {
      KLayer l = m.layers().get(i);
      Map<String, Object> e = l instanceof K210ConvLayer c ? conv(c, m.floatWeights()) : cpu((CpuLayer) l);
      e.put("index", i);
      totalWeights += ((Number) e.getOrDefault("weight_bytes", 0L)).longValue();
      Map<String, Object> ordered = new LinkedHashMap<>();
      ordered.put("index", i);
      ordered.put("type", l.type().name());
      ordered.putAll(e);
      layers.add(ordered);
    }
    r.put("weight_bytes", totalWeights);
    r.put("layers", layers);
    return r;
  }

  private static Map<String, Object> conv(K210ConvLayer c, boolean floatModel) {
    KpuLayerArgument a = c.argument();
    Map<String, Object> e = new LinkedHashMap<>();
    int k = a.kernelSize();
    e.put("kernel", k + "x" + k + (a.depthwise() ? " depthwise" : ""));
    e.put("input_shape", List.of(a.inputChannels(), a.inputHeight(), a.inputWidth()));
    e.put("output_shape", List.of(a.outputChannels(), a.outputHeight(), a.outputWidth()));
    int pool = (int) a.get(KpuField.POOL_TYPE);
    e.put("pool", pool < KpuPoolUnit.NAMES.length ? KpuPoolUnit.NAMES[pool] : "invalid " + pool);
    long src = a.get(KpuField.IMAGE_SRC_ADDR);
    long dst = a.get(KpuField.IMAGE_DST_ADDR);
    e.put("kpu_input_line", src);
    e.put("kpu_input_bytes", KpuLayout.lines(a.inputWidth(), a.inputHeight(), a.inputChannels()) * KpuLayout.LINE);
    e.put("kpu_output_line", dst);
    e.put("kpu_output_bytes", KpuLayout.lines(a.outputWidth(), a.outputHeight(), a.outputChannels()) * KpuLayout.LINE);
    if (c.mainMemOut()) {
      e.put("main_mem_out_address", c.mainMemOutAddress());
    }
    e.put("weight_bytes", (long) c.weightBytes().length);
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("pad_value", a.get(KpuField.PAD_VALUE));
    q.put("arg_x", a.get(KpuField.ARG_X));
    q.put("shift_x", a.get(KpuField.SHR_X));
    q.put("arg_w", a.get(KpuField.ARG_W));
    q.put("shift_w", a.get(KpuField.SHR_W));
    q.put("arg_add", a.get(KpuField.ARG_ADD));
    var bn = c.batchNorm();
    if (floatModel && bn.length > 0) {
      long[] regs = c.batchNormRegisters();
      q.put("bn0", Map.of("scale", (double) FloatKpuTables.scales(regs)[0],
          "bias", (double) FloatKpuTables.biases(regs)[0]));
    } else if (bn.length > 0) {
      q.put("bn0", Map.of("mul", bn[0].mul(), "shift", bn[0].shift(), "add", bn[0].add()));
    }
    e.put("quant", q);
    e.put("load_times", a.get(KpuField.LOAD_TIME) + 1);
    e.put("file_offsets", List.of(c.offsets()[0], c.offsets()[1], c.offsets()[2], c.offsets()[3]));
    return e;
  }

  private static Map<String, Object> cpu(CpuLayer l) {
    Map<String, Object> e = new LinkedHashMap<>();
    int[] raw = l.rawFields();
    List<LayerSchema.Field> fs = l.schema().fields();
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < raw.length; i++) {
      LayerSchema.Field f = fs.get(i);
      fields.put(f.name(), switch (f.kind()) {
        case U32 -> (Object) Integer.toUnsignedLong(raw[i]);
        case I32 -> (Object) (long) raw[i];
        case F32 -> (Object) (double) Float.intBitsToFloat(raw[i]);
      });
    }
    e.put("fields", fields);
    long tail = l.tail().length;
    if (tail > 0) {
      e.put("tail", l.schema().tail().name());
      e.put("tail_bytes", tail);
    }
    switch (l.schema().tail()) {
      case FC_FLOATS, QFC_WEIGHTS, TABLE256 -> e.put("weight_bytes", tail);
      case QUANT_PARAMS -> {
        float[] q = l.tailFloats();
        if (q.length >= 2) {
          e.put("quant", Map.of("channel0_scale", (double) q[0], "channel0_bias", (double) q[1]));
        }
      }
      default -> { }
    }
    return e;
  }

  /** The description as pretty JSON. */
  public static String json(String name, Kmodel m) {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(describe(name, m));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The description as a human-readable table. */
  @SuppressWarnings("unchecked")
  public static String text(String name, Kmodel m) {
    Map<String, Object> d = describe(name, m);
    StringBuilder sb = new StringBuilder();
    sb.append(name).append(": kmodel v").append(d.get("version")).append(", ").append(d.get("weights_bits"))
        .append(m.floatWeights() ? "-bit float weights (kbyoc float kmodel), " : "-bit weights, ").append(m.layers().size()).append(" layers, main memory ")
        .append(d.get("main_mem_usage")).append(" bytes, weights ").append(d.get("weight_bytes")).append(" bytes\n");
    for (KmodelOutput o : m.outputs()) {
      sb.append("  output: main memory [").append(o.address()).append(", ").append(o.address() + o.size())
          .append(") ").append(o.size() / 4).append(" floats\n");
    }
    for (Map<String, Object> l : (List<Map<String, Object>>) d.get("layers")) {
      sb.append(String.format("  %3d %-32s", (Integer) l.get("index"), l.get("type")));
      if (l.containsKey("kernel")) {
        sb.append(l.get("kernel")).append(' ').append(shape(l.get("input_shape"))).append(" -> ")
            .append(shape(l.get("output_shape"))).append(" pool ").append(l.get("pool")).append(", kpu line ")
            .append(l.get("kpu_input_line")).append(" -> ").append(l.get("kpu_output_line"));
        if (l.containsKey("main_mem_out_address")) {
          sb.append(", main out ").append(l.get("main_mem_out_address"));
        }
        sb.append(", weights ").append(l.get("weight_bytes")).append(" B, quant ").append(l.get("quant"));
      } else {
        sb.append(l.get("fields"));
        if (l.containsKey("tail")) {
          sb.append(" + ").append(l.get("tail_bytes")).append(" B ").append(l.get("tail"));
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String shape(Object o) {
    List<?> s = (List<?>) o;
    return s.get(0) + "x" + s.get(1) + "x" + s.get(2);
  }
}
