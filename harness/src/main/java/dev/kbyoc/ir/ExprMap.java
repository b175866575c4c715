package dev.kbyoc.ir;

import java.util.function.Function;

/**
 * A map from IR nodes, by identity, for the passes' per-node tables (memo, region of a node,
 * target of a node). Same meaning as an {@link java.util.IdentityHashMap} keyed by {@link Expr},
 * but probes compare references only and hash with the number each node got at construction
 * ({@link Expr#hashCode}, its creation number), kept in a parallel {@code int[]}: neither a lookup nor a resize reads
 * the key object. An {@code IdentityHashMap} reads every key's header when it resizes, which at
 * 100k nodes scattered over the heap is one cache miss per node and made a third of the
 * partitioning time (docs/performance.md, "Partition scaling").
 *
 * <p>Open addressing, load at most 1/2, first slot {@code creation number mod table size}: a
 * pass walks a graph roughly in the order its nodes were made, so consecutive lookups touch
 * consecutive slots instead of one cache line each at random. A collision probes with a step
 * from the mixed number (double hashing), so nodes from several ranges of creation numbers that
 * overlap in the table do not pile up as they would with linear probing. No removal (no pass
 * needs it). Null
 * values are not allowed, so {@link #get} returning null means absent. Not thread-safe.
 *
 * @param <V> the value type
 */
public final class ExprMap<V> {
  private int[] hashes;
  private Expr[] keys;
  private Object[] vals;
  private int size;

  /** An empty map. */
  public ExprMap() {
    this(8);
  }

  /** An empty map that holds {@code expected} entries without resizing. */
  public ExprMap(int expected) {
    int cap = ExprSet.capacityFor(expected);
    hashes = new int[cap];
    keys = new Expr[cap];
    vals = new Object[cap];
  }

  /** The number of entries. */
  public int size() {
    return size;
  }

  /** The value of {@code key}, or null when absent. */
  @SuppressWarnings("unchecked")
  public V get(Expr key) {
    Expr[] ks = keys;
    int mask = ks.length - 1;
    int h = key.hashCode();
    int i = h & mask;
    int step = 0;
    while (true) {
      Expr k = ks[i];
      if (k == key) {
        return (V) vals[i];
      }
      if (k == null) {
        return null;
      }
      step = step == 0 ? ExprSet.step(h) : step;
      i = (i + step) & mask;
    }
  }

  /** True when {@code key} has a value. */
  public boolean containsKey(Expr key) {
    return get(key) != null;
  }

  /** Sets the value of {@code key} (not null) and returns the previous one, or null. */
  @SuppressWarnings("unchecked")
  public V put(Expr key, V value) {
    if (value == null) {
      throw new NullPointerException("null value for " + key);
    }
    int h = key.hashCode();
    Expr[] ks = keys;
    int mask = ks.length - 1;
    int i = h & mask;
    int step = 0;
    for (Expr k = ks[i]; k != null; k = ks[i]) {
      if (k == key) {
        V old = (V) vals[i];
        vals[i] = value;
        return old;
      }
      step = step == 0 ? ExprSet.step(h) : step;
      i = (i + step) & mask;
    }
    ks[i] = key;
    hashes[i] = h;
    vals[i] = value;
    if (++size > ks.length >> 1) {
      grow();
    }
    return null;
  }

  /** The value of {@code key}, computing and storing it first when absent (the function must not return null). */
  public V computeIfAbsent(Expr key, Function<? super Expr, ? extends V> f) {
    V v = get(key);
    if (v == null) {
      v = f.apply(key);
      put(key, v);
    }
    return v;
  }

  private void grow() {
    int[] oh = hashes;
    Expr[] ok = keys;
    Object[] ov = vals;
    int cap = ok.length << 1;
    int mask = cap - 1;
    hashes = new int[cap];
    keys = new Expr[cap];
    vals = new Object[cap];
    for (int j = 0; j < ok.length; j++) {
      if (ok[j] != null) {
        int i = oh[j] & mask;
        if (keys[i] != null) {
          int step = ExprSet.step(oh[j]);
          do {
            i = (i + step) & mask;
          } while (keys[i] != null);
        }
        hashes[i] = oh[j];
        keys[i] = ok[j];
        vals[i] = ov[j];
      }
    }
  }

  @Override
  public String toString() {
    return "ExprMap(" + size + " entries)";
  }
}
