package dev.kbyoc.kendryte.format;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.Limits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses kmodel v3 bytes into a {@link Kmodel}. Every count, length and offset is checked against
 * the file size before anything is allocated; corruption raises a one-line {@link KbyocException}
 * naming the file, the layer index and the file offset. The last body may be shorter than its
 * body_size by its trailing 8-byte alignment padding (nncase never writes it), but never shorter
 * than its content.
 */
public final class KmodelReader {
  /** Largest main_mem_usage accepted: the K210 has 8 MiB of SRAM in all. */
  public static final long MAX_MAIN_MEMORY = 8L << 20;

  private final String name;
  private final byte[] b;

  private KmodelReader(String name, byte[] bytes) {
    this.name = name;
    this.b = bytes;
  }

  /** Reads a kmodel file. */
  public static Kmodel read(Path file) {
    return read(file.getFileName().toString(), Limits.readFile(file, "kmodel"));
  }

  /** Reads kmodel bytes; {@code name} is used in error messages. */
  public static Kmodel read(String name, byte[] bytes) {
    return new KmodelReader(name, bytes).run();
  }

  private KbyocException err(String where, long offset, String what) {
    return new KbyocException("kmodel " + name + ": " + where + " at offset " + offset + ": " + what);
  }

  private long u32(long off) {
    int o = (int) off;
    return (b[o] & 0xFFL) | (b[o + 1] & 0xFFL) << 8 | (b[o + 2] & 0xFFL) << 16 | (b[o + 3] & 0xFFL) << 24;
  }

  private long u64(long off) {
    return u32(off) | (u32(off + 4) << 32);
  }

  private Kmodel run() {
    if (b.length < Kmodel.HEADER_BYTES) {
      throw err("header", 0, "truncated: file has " + b.length + " bytes, kpu_kmodel_header_t needs 28");
    }
    long version = u32(0);
    if (version != Kmodel.VERSION) {
      String hint = version == 0x4C444D4BL ? " (this is an nncase v0.2+ 'KMDL' kmodel, not v3)" : "";
      throw err("header", 0, "bad version " + version + ", expected 3" + hint);
    }
    long flags = u32(4);
    if ((flags & Kmodel.FLAG_FLOAT) != 0 && (flags & Kmodel.FLAG_8BIT) != 0) {
      throw err("header", 4, "flags " + flags + " set both bit 0 (8-bit weights) and bit 1 (kbyoc float32"
          + " weights)");
    }
    long arch = u32(8);
    if (arch != 0) {
      throw err("header", 8, "bad arch " + arch + ", expected 0 (K210)");
    }
    long layerCount = u32(12);
    long maxStart = u32(16);
    long mainMem = u32(20);
    long outputCount = u32(24);
    if (mainMem > MAX_MAIN_MEMORY) {
      throw err("header", 20, "main_mem_usage " + mainMem + " exceeds the K210's " + MAX_MAIN_MEMORY + " bytes");
    }
    if (layerCount == 0) {
      throw err("header", 12, "layers_length is 0");
    }
    long bodyStart = Kmodel.HEADER_BYTES + 8 * outputCount + 8 * layerCount;
    if (bodyStart > b.length) {
      throw err("header", outputCount * 8 + Kmodel.HEADER_BYTES > b.length ? 24 : 12, "output_count " + outputCount
          + " and layers_length " + layerCount + " need " + bodyStart + " bytes of tables, file has " + b.length);
    }
    List<KmodelOutput> outputs = new ArrayList<>();
    for (int i = 0; i < outputCount; i++) {
      long off = Kmodel.HEADER_BYTES + 8L * i;
      long addr = u32(off);
      long size = u32(off + 4);
      if (addr + size > mainMem) {
        throw err("output " + i, off, "range [" + addr + ", " + (addr + size) + ") exceeds main_mem_usage " + mainMem);
      }
      outputs.add(new KmodelOutput(addr, size));
    }
    long headers = Kmodel.HEADER_BYTES + 8 * outputCount;
    List<KLayer> layers = new ArrayList<>();
    long start = bodyStart;
    for (int i = 0; i < layerCount; i++) {
      long hOff = headers + 8L * i;
      long code = u32(hOff);
      long bodySize = u32(hOff + 4);
      LayerType type = LayerType.ofCode(code);
      String where = "layer " + i + (type == null ? "" : " (" + type + ")");
      if (type == null || type == LayerType.INVALID) {
        throw err(where, hOff, "unknown layer type " + code);
      }
      boolean last = i == layerCount - 1;
      long avail = Math.min(bodySize, b.length - start);
      if (start > b.length || (!last && start + bodySize > b.length) || (last && bodySize - avail >= 8)) {
        throw err(where, hOff, "body_size " + bodySize + " at body offset " + start + " runs past the end of the "
            + b.length + "-byte file");
      }
      Body body = new Body(where, start, start + avail);
      layers.add(type == LayerType.K210_CONV ? conv(body, flags) : cpu(body, type));
      start += bodySize;
    }
    return new Kmodel(version, flags, arch, maxStart, mainMem, outputs, layers);
  }

  /** A body's extent in the file: [start, end). */
  private record Body(String where, long start, long end) {}

  private CpuLayer cpu(Body body, LayerType type) {
    LayerSchema s = LayerSchema.of(type);
    long len = body.end - body.start;
    if (s.fixedSize() > len) {
      throw err(body.where, body.start, "body has " + len + " bytes, its fixed fields need " + s.fixedSize());
    }
    int n = s.fields().size();
    int[] raw = new int[n];
    long[] vals = new long[n];
    for (int i = 0; i < n; i++) {
      vals[i] = u32(body.start + 4L * i);
      raw[i] = (int) vals[i];
    }
    long tail = s.tailSize(vals);
    if (tail < 0 || tail > len - s.fixedSize()) {
      throw err(body.where, body.start + s.fixedSize(), s.tail() + " data needs " + tail + " bytes, body has "
          + (len - s.fixedSize()) + " left");
    }
    int from = (int) (body.start + s.fixedSize());
    byte[] t = java.util.Arrays.copyOfRange(b, from, from + (int) tail);
    return CpuLayer.of(type, raw, t);
  }

  private void within(Body body, long off, long size, String what) {
    if (off < body.start + 24 || off > body.end || size > body.end - off) {
      throw err(body.where, off, what + " (" + size + " bytes) lies outside the layer body [" + body.start + ", "
          + body.end + ")");
    }
  }

  private K210ConvLayer conv(Body body, long modelFlags) {
    if (body.end - body.start < 24) {
      throw err(body.where, body.start, "body has " + (body.end - body.start)
          + " bytes, kpu_model_conv_layer_argument_t needs 24");
    }
    long flags = u32(body.start);
    long mainOut = u32(body.start + 4);
    long layerOff = u32(body.start + 8);
    long weightsOff = u32(body.start + 12);
    long bnOff = u32(body.start + 16);
    long actOff = u32(body.start + 20);
    within(body, layerOff, KpuLayerArgument.BYTES, "layer_offset: kpu_layer_argument_t");
    long[] regs = new long[12];
    for (int i = 0; i < 12; i++) {
      regs[i] = u64(layerOff + 8L * i);
    }
    KpuLayerArgument arg = KpuLayerArgument.of(regs);
    boolean isFloat = (modelFlags & Kmodel.FLAG_FLOAT) != 0;
    long wBytes = arg.weightCount() * (isFloat ? 4 : (modelFlags & Kmodel.FLAG_8BIT) != 0 ? 1 : 2);
    within(body, weightsOff, wBytes, "weights_offset: weights");
    long oc = arg.outputChannels();
    within(body, bnOff, 8 * oc, "bn_offset: " + oc + " batchnorm registers");
    within(body, actOff, KpuActivation.BYTES, "act_offset: activation table");
    byte[] w = java.util.Arrays.copyOfRange(b, (int) weightsOff, (int) (weightsOff + wBytes));
    long[] bn = new long[(int) oc];
    for (int i = 0; i < oc; i++) {
      bn[i] = u64(bnOff + 8L * i);
    }
    long[] act = new long[18];
    for (int i = 0; i < 18; i++) {
      act[i] = u64(actOff + 8L * i);
    }
    if (isFloat) {
      String bad = FloatKpuTables.problem(FloatKpuTables.decode(act));
      if (bad != null) {
        throw err(body.where, actOff, bad + " (flags bit 1: float kmodel)");
      }
    }
    return K210ConvLayer.of(flags, mainOut, arg, w, bn, act, new long[] {layerOff, weightsOff, bnOff, actOff});
  }
}
