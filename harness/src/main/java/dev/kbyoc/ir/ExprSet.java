package dev.kbyoc.ir;

/**
 * A set of IR nodes by identity: the "seen" and "visited" sets of the traversals. Same meaning
 * as {@code Collections.newSetFromMap(new IdentityHashMap<>())}, with the cheaper hashing of
 * {@link ExprMap} (each node's creation number, kept next to the reference, so probes and
 * resizes never read the node; consecutive nodes take consecutive slots). No removal. Not
 * thread-safe.
 */
public final class ExprSet {
  private int[] hashes;
  private Expr[] keys;
  private int size;

  /** An empty set. */
  public ExprSet() {
    this(8);
  }

  /** An empty set that holds {@code expected} nodes without resizing. */
  public ExprSet(int expected) {
    int cap = capacityFor(expected);
    hashes = new int[cap];
    keys = new Expr[cap];
  }

  /** A power-of-two table size keeping the load of {@code expected} entries at most 1/2. */
  static int capacityFor(int expected) {
    int need = Math.max(4, expected) * 2;
    return need >= 1 << 30 ? 1 << 30 : Integer.highestOneBit(need - 1) << 1;
  }

  /**
   * The probe step after a collision at a node's first slot: odd (so it visits every slot of a
   * power-of-two table) and taken from the node's number mixed by murmur3's finaliser, so that
   * nodes colliding at one slot go on to unrelated slots.
   */
  static int step(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h | 1;
  }

  /** The number of nodes. */
  public int size() {
    return size;
  }

  /** True when {@code e} is in the set. */
  public boolean contains(Expr e) {
    Expr[] ks = keys;
    int mask = ks.length - 1;
    int h = e.hashCode();
    int i = h & mask;
    int step = 0;
    while (true) {
      Expr k = ks[i];
      if (k == e) {
        return true;
      }
      if (k == null) {
        return false;
      }
      step = step == 0 ? step(h) : step;
      i = (i + step) & mask;
    }
  }

  /** Adds {@code e}; false when it was there already. */
  public boolean add(Expr e) {
    int h = e.hashCode();
    Expr[] ks = keys;
    int mask = ks.length - 1;
    int i = h & mask;
    int step = 0;
    for (Expr k = ks[i]; k != null; k = ks[i]) {
      if (k == e) {
        return false;
      }
      step = step == 0 ? step(h) : step;
      i = (i + step) & mask;
    }
    ks[i] = e;
    hashes[i] = h;
    if (++size > ks.length >> 1) {
      grow();
    }
    return true;
  }

  private void grow() {
    int[] oh = hashes;
    Expr[] ok = keys;
    int cap = ok.length << 1;
    int mask = cap - 1;
    hashes = new int[cap];
    keys = new Expr[cap];
    for (int j = 0; j < ok.length; j++) {
      if (ok[j] != null) {
        int i = oh[j] & mask;
        if (keys[i] != null) {
          int step = step(oh[j]);
          do {
            i = (i + step) & mask;
          } while (keys[i] != null);
        }
        hashes[i] = oh[j];
        keys[i] = ok[j];
      }
    }
  }

  @Override
  public String toString() {
    return "ExprSet(" + size + " nodes)";
  }
}
