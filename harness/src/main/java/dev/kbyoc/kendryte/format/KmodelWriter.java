package dev.kbyoc.kendryte.format;

import java.util.Arrays;

/**
 * Serialises a {@link Kmodel} to kmodel v3 bytes exactly as nncase v0.1.0-rc5's generator does:
 * header, output table, layer headers, then each body padded to an absolute 8-byte boundary (the
 * padding counts in body_size). Inside a K210_CONV body the {@code kpu_layer_argument_t} starts at
 * an 8-aligned offset, weights and batchnorm at 128-aligned offsets and the activation table at a
 * 256-aligned offset; gaps are zero. Like nncase (which only seeks past it), the padding after the
 * last body is counted in its body_size but not written.
 */
public final class KmodelWriter {
  private byte[] buf = new byte[4096];
  private int pos;
  private int end;

  private KmodelWriter() {}

  /** The file bytes of a kmodel. */
  public static byte[] write(Kmodel model) {
    return new KmodelWriter().run(model);
  }

  private byte[] run(Kmodel m) {
    int layers = m.layers().size();
    u32(m.version());
    u32(m.flags());
    u32(m.arch());
    u32(layers);
    u32(m.maxStartAddress());
    u32(m.mainMemUsage());
    u32(m.outputs().size());
    for (KmodelOutput o : m.outputs()) {
      u32(o.address());
      u32(o.size());
    }
    int headers = pos;
    pos += 8 * layers;
    long[] sizes = new long[layers];
    for (int i = 0; i < layers; i++) {
      int start = pos;
      KLayer l = m.layers().get(i);
      if (l instanceof K210ConvLayer c) {
        conv(c, m.eightBitWeights());
      } else {
        cpu((CpuLayer) l);
      }
      int contentEnd = end;
      align(8);
      sizes[i] = pos - start;
      if (i == layers - 1) {
        end = contentEnd;
      }
    }
    int after = pos;
    pos = headers;
    for (int i = 0; i < layers; i++) {
      u32(m.layers().get(i).type().code());
      u32(sizes[i]);
    }
    pos = after;
    return Arrays.copyOf(buf, end);
  }

  private void cpu(CpuLayer l) {
    int n = l.schema().fields().size();
    for (int i = 0; i < n; i++) {
      u32(Integer.toUnsignedLong(l.rawAt(i)));
    }
    bytes(l.tailRef());
  }

  private void conv(K210ConvLayer c, boolean eightBit) {
    u32(c.flags());
    u32(c.mainMemOutAddress());
    int fix = pos;
    pos += 16;
    long layerOff = align(8);
    for (long r : c.argument().registers()) {
      u64(r);
    }
    long weightsOff = align(128);
    bytes(c.weightsRef());
    long bnOff = align(128);
    for (long r : c.batchNormRegisters()) {
      u64(r);
    }
    long actOff = align(256);
    for (long r : c.activationRegisters()) {
      u64(r);
    }
    int after = pos;
    pos = fix;
    u32(layerOff);
    u32(weightsOff);
    u32(bnOff);
    u32(actOff);
    pos = after;
  }

  private long align(int a) {
    int rem = pos % a;
    if (rem != 0) {
      pos += a - rem;
    }
    return pos;
  }

  private void ensure(int n) {
    long need = (long) pos + n;
    if (need > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("kmodel larger than 2 GiB");
    }
    if (need > buf.length) {
      buf = Arrays.copyOf(buf, (int) Math.max(need, Math.min(Integer.MAX_VALUE - 8L, 2L * buf.length)));
    }
  }

  private void advance(int n) {
    pos += n;
    end = Math.max(end, pos);
  }

  private void u32(long v) {
    ensure(4);
    for (int i = 0; i < 4; i++) {
      buf[pos + i] = (byte) (v >>> (8 * i));
    }
    advance(4);
  }

  private void u64(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[pos + i] = (byte) (v >>> (8 * i));
    }
    advance(8);
  }

  private void bytes(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, pos, b.length);
    advance(b.length);
  }
}
