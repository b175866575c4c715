package dev.kbyoc.pass;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.ExprMap;
import dev.kbyoc.ir.ExprSet;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import java.util.ArrayList;
import java.util.List;

/**
 * TVM's {@code AnnotatedRegionSet}: the regions delimited by {@code compiler_begin} /
 * {@code compiler_end} in one function body, with TVM's region IDs, inputs and outputs.
 *
 * <p><b>Construction</b> (TVM's {@code Creator}): walk the body in post-order; each
 * {@code compiler_begin} opens a new region with the next ID (default regions included) and is
 * its input; any other node joins the region of its first argument that is not a
 * {@code compiler_end}, merging the regions of its other such arguments into it; a
 * {@code compiler_end} joins its argument's region as an output.
 *
 * <p><b>Merging</b> (TVM's {@code MergeRegions(src, dest)}): dest keeps its ID and gets src's
 * inputs and outputs appended; an input of the result whose argument lay in src is dropped, and
 * so is that argument from the outputs. Unlike TVM (a linear scan over all regions per lookup and
 * over all inputs per merge), regions are a union-find (lookup O(α(n)) amortised) and the
 * dropped inputs are found from the smaller of the two regions' boundary-edge lists, so building
 * and merging cost O(n log n) in total.
 */
public final class AnnotatedRegionSet {

  /** A region: ID, target, inputs (begin annotations) and outputs (end annotations). */
  public static final class Region {
    private final int id;
    private final String target;
    private final Chain<Call> ins = new Chain<>();
    private final Chain<Call> outs = new Chain<>();
    private Chain<Call> edges = new Chain<>();
    private Chain<Call> pendingSelf = new Chain<>();
    private int minIndex = Integer.MAX_VALUE;
    private int maxIndex = Integer.MIN_VALUE;
    private final AnnotatedRegionSet owner;
    /**
     * Union-find links: each region is also the cell of the nodes first put in it; merges link
     * cells, and the root cell's {@code live} is the live region of its class.
     */
    private Region parent = this;
    private int rank;
    private Region live = this;

    private Region(AnnotatedRegionSet owner, int id, String target) {
      this.owner = owner;
      this.id = id;
      this.target = target;
    }

    public int id() {
      return id;
    }

    public String target() {
      return target;
    }

    /** The region's inputs ({@code compiler_begin} calls) in TVM's order. */
    public List<Call> inputs() {
      List<Call> l = new ArrayList<>();
      for (Call b : ins) {
        if (!owner.removedIns.contains(b)) {
          l.add(b);
        }
      }
      return l;
    }

    /** The region's outputs ({@code compiler_end} calls) in TVM's order. */
    public List<Call> outputs() {
      List<Call> l = new ArrayList<>();
      for (Call e : outs) {
        if (!owner.removedOuts.contains(e)) {
          l.add(e);
        }
      }
      return l;
    }

    int minIndex() {
      return minIndex;
    }

    int maxIndex() {
      return maxIndex;
    }

    @Override
    public String toString() {
      return "region " + id + " (" + target + ")";
    }
  }

  /** Per node, a union-find cell (a region) of its class; {@link #find} then {@code live} gives its region. */
  private final ExprMap<Region> cellOf = new ExprMap<>();
  private final ExprSet removedIns = new ExprSet();
  private final ExprSet removedOuts = new ExprSet();
  private final ExprSet doneEdges = new ExprSet();
  private final List<Region> created = new ArrayList<>();
  /** Nodes walked so far: the next node's post-order position. */
  private int walked;
  /** Per region ID, the {@link #parents} call that last listed it (made on first use). */
  private int[] parentMark;
  private int parentEpoch;

  private AnnotatedRegionSet() {}

  /** Builds the region set of an expression (a function body) from its annotations. */
  public static AnnotatedRegionSet create(Expr body) {
    AnnotatedRegionSet set = new AnnotatedRegionSet();
    DataflowWalk walk = new DataflowWalk(set::visit);
    walk.visit(body);
    return set;
  }

  /** The region holding {@code e}, or null when it is in none. */
  public Region regionOf(Expr e) {
    Region c = cellOf.get(e);
    return c == null ? null : find(c).live;
  }

  /** How many regions were made (IDs run from 0 below this; merged-away ones included). */
  int createdCount() {
    return created.size();
  }

  /** The live regions in ID order. */
  public List<Region> regions() {
    List<Region> l = new ArrayList<>();
    for (Region r : created) {
      if (find(r).live == r) {
        l.add(r);
      }
    }
    return l;
  }

  private static Region find(Region c) {
    Region root = c;
    while (root.parent != root) {
      root = root.parent;
    }
    while (c.parent != root) {
      Region next = c.parent;
      c.parent = root;
      c = next;
    }
    return root;
  }

  private Region make(String target) {
    Region r = new Region(this, created.size(), target);
    created.add(r);
    return r;
  }

  /** Puts {@code e}, the node at post-order position {@code i}, into {@code r}. */
  private void add(Region r, Expr e, int i) {
    cellOf.put(e, find(r));
    r.minIndex = Math.min(r.minIndex, i);
    r.maxIndex = Math.max(r.maxIndex, i);
  }

  private void visit(Expr e) {
    int i = walked++;
    if (e instanceof Call c) {
      if (Annotations.isBegin(c)) {
        if (c.args().size() != 1) {
          throw new KbyocException(c.describe() + ": compiler_begin takes one argument");
        }
        Region r = make(Annotations.compiler(c));
        add(r, c, i);
        r.ins.add(c);
        Region argRegion = regionOf(c.arg(0));
        if (argRegion != null) {
          argRegion.edges.add(c);
          r.edges.add(c);
        }
      } else if (Annotations.isEnd(c)) {
        if (c.args().size() != 1) {
          throw new KbyocException(c.describe() + ": compiler_end takes one argument");
        }
        Region r = regionOf(c.arg(0));
        String target = Annotations.compiler(c);
        if (r == null) {
          throw new KbyocException("cannot find the region of compiler_end(" + target + ") at " + c.describe()
              + ": its argument " + c.arg(0).describe() + " is not inside a compiler_begin");
        }
        if (!r.target.equals(target)) {
          throw new KbyocException("compiler_end(" + target + ") at " + c.describe() + " closes a region of target "
              + r.target);
        }
        add(r, c, i);
        r.outs.add(c);
      } else if (c.op() instanceof Op || !c.args().isEmpty()) {
        addToArgRegion(c, c.args(), i);
      }
    } else if (e instanceof Tuple t) {
      addToArgRegion(t, t.fields(), i);
    } else if (e instanceof TupleGetItem g) {
      addToArgRegion(g, List.of(g.tuple()), i);
    }
  }

  private void addToArgRegion(Expr e, List<Expr> args, int i) {
    Region region = null;
    for (Expr a : args) {
      if (Annotations.isEnd(a)) {
        continue;
      }
      region = regionOf(a);
      if (region != null) {
        break;
      }
    }
    for (Expr a : args) {
      if (Annotations.isEnd(a)) {
        continue;
      }
      Region ar = regionOf(a);
      if ((region == null) != (ar == null)) {
        throw new KbyocException("inconsistent annotations at " + e.describe() + ": argument " + a.describe()
            + (ar == null ? " is outside every region" : " is inside " + ar) + " but another argument is not");
      }
      if (region != null && region != ar) {
        merge(ar, region);
      }
    }
    if (region != null) {
      add(region, e, i);
    }
  }

  /** Merges {@code src} into {@code dest} (dest keeps its ID), as TVM's {@code MergeRegions}. */
  public void merge(Region src, Region dest) {
    if (src == dest) {
      return;
    }
    for (Call b : src.pendingSelf) {
      dropInput(b);
    }
    boolean srcSmaller = src.edges.size() <= dest.edges.size();
    Chain<Call> small = srcSmaller ? src.edges : dest.edges;
    Chain<Call> large = srcSmaller ? dest.edges : src.edges;
    Chain<Call> kept = new Chain<>();
    Chain<Call> pending = dest.pendingSelf;
    for (Call b : small) {
      if (doneEdges.contains(b)) {
        continue;
      }
      Region ra = regionOf(b.arg(0));
      Region rb = regionOf(b);
      if (ra == rb) {
        doneEdges.add(b);
        continue;
      }
      boolean between = (ra == src && rb == dest) || (ra == dest && rb == src);
      if (!between) {
        kept.add(b);
        continue;
      }
      doneEdges.add(b);
      if (ra == src) {
        dropInput(b);
      } else {
        pending.add(b);
      }
    }
    large.append(kept);
    dest.edges = large;
    dest.pendingSelf = pending;
    src.edges = new Chain<>();
    src.pendingSelf = new Chain<>();
    dest.ins.append(src.ins);
    dest.outs.append(src.outs);
    dest.minIndex = Math.min(dest.minIndex, src.minIndex);
    dest.maxIndex = Math.max(dest.maxIndex, src.maxIndex);
    Region a = find(src);
    Region b = find(dest);
    if (a.rank > b.rank) {
      b.parent = a;
      a.live = dest;
    } else {
      a.parent = b;
      if (a.rank == b.rank) {
        b.rank++;
      }
      b.live = dest;
    }
  }

  private void dropInput(Call begin) {
    removedIns.add(begin);
    removedOuts.add(begin.arg(0));
  }

  /**
   * The regions feeding {@code r}: the distinct live regions of its inputs' arguments, in input
   * order ({@code r} itself excluded).
   */
  List<Region> parents(Region r) {
    List<Region> out = new ArrayList<>(2);
    if (parentMark == null || parentMark.length < created.size()) {
      parentMark = new int[created.size()];
    }
    int mark = ++parentEpoch;
    for (Call b : r.ins) {
      if (removedIns.contains(b)) {
        continue;
      }
      Region p = regionOf(b.arg(0));
      if (p != null && p != r && parentMark[p.id] != mark) {
        parentMark[p.id] = mark;
        out.add(p);
      }
    }
    return out;
  }

  /** Calls {@code f} for every region feeding {@code r} through a boundary edge (duplicates possible). */
  void forEachEdgeParent(Region r, java.util.function.Consumer<Region> f) {
    for (Call b : r.edges) {
      if (doneEdges.contains(b)) {
        continue;
      }
      Region rb = regionOf(b);
      if (rb != r) {
        continue;
      }
      Region ra = regionOf(b.arg(0));
      if (ra != null && ra != r) {
        f.accept(ra);
      }
    }
  }
}
