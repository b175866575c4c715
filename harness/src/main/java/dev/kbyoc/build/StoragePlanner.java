package dev.kbyoc.build;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.TupleType;
import dev.kbyoc.ir.Type;
import dev.kbyoc.ir.Var;
import dev.kbyoc.pass.DataflowOrder;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Storage planning for the graph executor, as TVM's {@code graph_plan_memory.cc}: every tensor
 * gets a storage id; call outputs reuse storage whose last reader has run.
 *
 * <p><b>Algorithm:</b> 1. prototype pass: one token per tensor of every param, constant and call;
 * a token's reference count is its number of uses as a call argument, plus one for function
 * outputs; 2. planning pass in the same order: params and constants get fresh storage that is
 * never released; a call visits its arguments, then takes for each output a free block of at
 * least its size and at most 16x (the smallest such, earliest freed first), else the largest
 * smaller block of at least 1/16 its size (which grows to fit), else fresh storage; then outputs
 * without readers and arguments whose count drops to zero go back to the free list.
 */
public final class StoragePlanner {
  private static final long MATCH_RANGE = 16;

  private static final class Token {
    final TensorType type;
    int refs;
    long maxBytes;
    int storageId = -1;

    Token(TensorType type) {
      this.type = type;
    }
  }

  private final Map<Expr, List<Token>> prototype = new IdentityHashMap<>();
  private final Map<Expr, List<Token>> tokens = new IdentityHashMap<>();
  private final NavigableMap<Long, List<Token>> free = new TreeMap<>();
  private int next;

  private StoragePlanner() {}

  /** Storage ids per tensor of every data node of a typed function (tuples map to their fields'). */
  public static Map<Expr, int[]> plan(Function f) {
    StoragePlanner p = new StoragePlanner();
    p.prototypes(f);
    p.allocate(f);
    Map<Expr, int[]> out = new IdentityHashMap<>();
    p.tokens.forEach((e, ts) -> out.put(e, ts.stream().mapToInt(t -> t.storageId).toArray()));
    return out;
  }

  private static List<Token> fresh(Expr e) {
    Type t = e.checkedType();
    List<Token> ts = new ArrayList<>();
    if (t instanceof TupleType tt) {
      for (Type f : tt.fields()) {
        ts.add(new Token(tensor(f, e)));
      }
    } else {
      ts.add(new Token(tensor(t, e)));
    }
    return ts;
  }

  private static TensorType tensor(Type t, Expr e) {
    if (t instanceof TensorType tt) {
      return tt;
    }
    throw new KbyocException("graph lowering: " + e.describe() + " has type " + t + ", not a tensor or tuple of tensors");
  }

  private static List<Token> derived(Expr e, Map<Expr, List<Token>> m) {
    if (e instanceof Tuple t) {
      List<Token> fs = new ArrayList<>();
      for (Expr f : t.fields()) {
        fs.addAll(m.get(f));
      }
      return fs;
    }
    TupleGetItem g = (TupleGetItem) e;
    return List.of(m.get(g.tuple()).get(g.index()));
  }

  private void prototypes(Function f) {
    for (Var p : f.params()) {
      prototype.put(p, fresh(p));
    }
    for (Expr e : DataflowOrder.of(f.body())) {
      if (e instanceof Constant || e instanceof Call) {
        prototype.put(e, fresh(e));
        if (e instanceof Call c) {
          for (Expr a : c.args()) {
            prototype.get(a).forEach(t -> t.refs++);
          }
        }
      } else if (e instanceof Tuple || e instanceof TupleGetItem) {
        prototype.put(e, derived(e, prototype));
      } else if (!(e instanceof Var)) {
        throw new KbyocException("graph lowering: unexpected " + e.describe() + " in the host function");
      }
    }
    prototype.get(f.body()).forEach(t -> t.refs++);
  }

  private void allocate(Function f) {
    for (Var p : f.params()) {
      tokens.put(p, fixed(p));
    }
    for (Expr e : DataflowOrder.of(f.body())) {
      if (e instanceof Constant) {
        tokens.put(e, fixed(e));
      } else if (e instanceof Tuple || e instanceof TupleGetItem) {
        tokens.put(e, derived(e, tokens));
      } else if (e instanceof Call c) {
        List<Token> args = new ArrayList<>();
        for (Expr a : c.args()) {
          args.addAll(tokens.get(a));
        }
        List<Token> outs = new ArrayList<>();
        for (Token proto : prototype.get(c)) {
          outs.add(request(proto));
        }
        tokens.put(c, outs);
        outs.forEach(this::checkForRelease);
        for (Token t : args) {
          t.refs--;
          checkForRelease(t);
        }
      }
    }
  }

  private List<Token> fixed(Expr e) {
    List<Token> ts = prototype.get(e);
    for (Token t : ts) {
      alloc(t, t.type.byteSize());
      t.refs++;
    }
    return ts;
  }

  private Token request(Token proto) {
    long size = proto.type.byteSize();
    for (Map.Entry<Long, List<Token>> e : free.subMap(size, true, size * MATCH_RANGE, true).entrySet()) {
      return take(e, 0, proto, size);
    }
    for (Map.Entry<Long, List<Token>> e : free.subMap(size / MATCH_RANGE, true, size, false).descendingMap().entrySet()) {
      return take(e, e.getValue().size() - 1, proto, size);
    }
    return alloc(proto, size);
  }

  private Token take(Map.Entry<Long, List<Token>> e, int index, Token proto, long size) {
    Token t = e.getValue().remove(index);
    if (e.getValue().isEmpty()) {
      free.remove(e.getKey());
    }
    t.maxBytes = Math.max(size, t.maxBytes);
    t.refs = proto.refs;
    return t;
  }

  private Token alloc(Token t, long size) {
    t.maxBytes = size;
    t.storageId = next++;
    return t;
  }

  private void checkForRelease(Token t) {
    if (t.refs < 0) {
      throw new IllegalStateException("storage token released twice");
    }
    if (t.refs == 0) {
      free.computeIfAbsent(t.maxBytes, k -> new ArrayList<>()).add(t);
    }
  }
}
