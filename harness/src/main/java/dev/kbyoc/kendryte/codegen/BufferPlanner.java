package dev.kbyoc.kendryte.codegen;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.kendryte.sim.KpuLayout;
import dev.kbyoc.kendryte.sim.KpuRam;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Places a kmodel's buffers by live range: main-memory buffers in bytes (8-byte aligned, sizes
 * rounded up to 8, so the SDK's QUANTIZED_ADD, which processes the count rounded up to 8, stays
 * inside its own buffers) and KPU RAM maps in 64-byte lines within the 2 MiB. A buffer is live
 * from the layer that writes it to the last layer that reads it (the model input from the start,
 * the model outputs to the end), so a tensor read by two consumers stays live until the second.
 * Algorithm, per layer in order: 1. place the buffers the layer writes while its inputs are still
 * live; 2. free the buffers whose last reader it was. Main memory is first fit; a KPU map goes to
 * the lowest or highest fitting position, whichever leaves the larger free gap (the ping-pong of
 * a conv chain). A KPU map that does not fit is a one-line error naming the layer and the bytes.
 */
final class BufferPlanner {
  /** Where a buffer lives. */
  enum Space { MAIN, KPU }

  /** A buffer; {@code size} in bytes (MAIN) or lines (KPU); the address is set by {@link #plan}. */
  static final class Buf {
    final Space space;
    final long size;
    int first = Integer.MAX_VALUE;
    int last = -1;
    long address = -1;

    Buf(Space space, long size) {
      this.space = space;
      this.size = space == Space.MAIN ? (size + 7) / 8 * 8 : size;
    }
  }

  /** One layer: its name for messages and the buffers it reads and writes. */
  record Step(String name, List<Buf> reads, List<Buf> writes) {}

  /** The placement's extents: main-memory bytes used and KPU RAM lines used. */
  record Extent(long mainBytes, long kpuLines) {}

  private BufferPlanner() {}

  /**
   * Sets every buffer's address. {@code input} is live from before the first step, {@code pinned}
   * (the outputs) until after the last. {@code fn} names the function in errors.
   */
  static Extent plan(String fn, List<Step> steps, Buf input, List<Buf> pinned) {
    List<Buf> all = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      for (Buf b : steps.get(i).writes()) {
        b.first = Math.min(b.first, i);
        b.last = Math.max(b.last, i);
        all.add(b);
      }
      for (Buf b : steps.get(i).reads()) {
        b.last = Math.max(b.last, i);
      }
    }
    input.first = -1;
    for (Buf b : pinned) {
      b.last = Integer.MAX_VALUE;
    }
    Arena main = new Arena(Long.MAX_VALUE / 4);
    Arena kpu = new Arena(KpuRam.LINES);
    input.address = main.place(input.size, null);
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      List<Buf> dying = new ArrayList<>();
      for (Buf b : s.reads()) {
        if (b.last == i && b.space == Space.KPU && b.address >= 0) {
          dying.add(b);
        }
      }
      for (Buf b : s.writes()) {
        if (b.address >= 0) {
          continue;
        }
        if (b.space == Space.MAIN) {
          b.address = main.place(b.size, null);
        } else {
          b.address = kpu.place(b.size, dying);
          if (b.address < 0) {
            throw new KbyocException("kendryte codegen: " + fn + ": layer " + i + " (" + s.name() + ") needs "
                + (b.size + kpu.used()) * KpuLayout.LINE + " bytes of KPU RAM (its output map " + b.size * KpuLayout.LINE
                + " + maps still live " + kpu.used() * KpuLayout.LINE + "), more than the K210's " + KpuRam.BYTES
                + (b.size + kpu.used() <= KpuRam.LINES ? " in one piece" : ""));
          }
        }
      }
      for (Buf b : all) {
        if (b.last == i) {
          (b.space == Space.MAIN ? main : kpu).free(b.address, b.size);
        }
      }
      if (input.last == i) {
        main.free(input.address, input.size);
      }
    }
    return new Extent(main.high, kpu.high);
  }

  /** Free-list allocator over [0, capacity). */
  private static final class Arena {
    private final long capacity;
    private final TreeMap<Long, Long> free = new TreeMap<>();
    private long used;
    private long high;

    Arena(long capacity) {
      this.capacity = capacity;
      free.put(0L, capacity);
    }

    long used() {
      return used;
    }

    /**
     * An address for {@code n} units, or -1. With {@code dying} null: first fit. Else the lowest or
     * highest position of a fitting gap that leaves the largest free gap once the maps in
     * {@code dying} (read for the last time by this layer) are freed.
     */
    long place(long n, List<Buf> dying) {
      long best = -1;
      long bestScore = -1;
      for (var g : free.entrySet()) {
        if (g.getValue() < n) {
          continue;
        }
        if (dying == null) {
          best = g.getKey();
          break;
        }
        for (long at : new long[] {g.getKey(), g.getKey() + g.getValue() - n}) {
          Arena a = copy();
          a.take(at, n);
          for (Buf d : dying) {
            a.free(d.address, d.size);
          }
          long score = a.free.values().stream().mapToLong(Long::longValue).max().orElse(0);
          if (score > bestScore) {
            bestScore = score;
            best = at;
          }
        }
      }
      if (best < 0) {
        return -1;
      }
      take(best, n);
      return best;
    }

    private Arena copy() {
      Arena a = new Arena(capacity);
      a.free.clear();
      a.free.putAll(free);
      a.used = used;
      return a;
    }

    private void take(long at, long n) {
      var g = free.floorEntry(at);
      long start = g.getKey();
      long len = g.getValue();
      free.remove(start);
      if (at > start) {
        free.put(start, at - start);
      }
      if (at + n < start + len) {
        free.put(at + n, start + len - at - n);
      }
      used += n;
      high = Math.max(high, at + n);
    }

    void free(long at, long n) {
      long start = at;
      long len = n;
      var before = free.floorEntry(at);
      if (before != null && before.getKey() + before.getValue() == at) {
        start = before.getKey();
        len += before.getValue();
        free.remove(before.getKey());
      }
      Long after = free.get(at + n);
      if (after != null) {
        free.remove(at + n);
        len += after;
      }
      free.put(start, len);
      used -= n;
    }
  }
}
