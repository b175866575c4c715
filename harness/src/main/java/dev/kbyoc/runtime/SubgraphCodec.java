package dev.kbyoc.runtime;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.Var;
import dev.kbyoc.pass.InferType;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * kbyoc's compact binary for one operator-level function (a fused host function or a partitioned
 * external function). Layout, little-endian: magic {@code KBSG}, u32 version 1, u32 param count
 * and per param its name and tensor type, u32 node count and the nodes in post-order, u32 root
 * index. A node is a u8 kind then: 0 param (u32 index); 1 embedded constant (type, u64 byte count,
 * bytes); 2 constant reference (name, type); 3 op call (op name, attrs, u32 arg count, u32 node
 * indices); 4 tuple (u32 count, indices); 5 tuple item (u32 tuple index, u32 field). Constants are
 * either embedded or referenced by the name {@code <symbol>_const_<i>}, numbered in the order the
 * default constant updater numbers them (first occurrence in post-order), so a module that reads
 * its constants from the params finds them under the names the updater gave them.
 */
public final class SubgraphCodec {
  static final byte[] MAGIC = {'K', 'B', 'S', 'G'};
  static final int VERSION = 1;
  private static final int MAX_ITEMS = 1 << 24;

  private SubgraphCodec() {}

  /** Encodes {@code f}; with {@code embedConstants} false, constants become references named after {@code symbol}. */
  public static byte[] encode(Function function, boolean embedConstants, String symbol) {
    Function f = TupleParams.flatten(function);
    if (f != function) {
      dev.kbyoc.pass.InferType.inferExpr(f);
    }
    BinWriter w = new BinWriter().bytes(MAGIC).u32(VERSION).u32(f.params().size());
    Map<Expr, Integer> index = new IdentityHashMap<>();
    for (Var p : f.params()) {
      w.str(p.name());
      writeType(w, (TensorType) p.checkedType());
    }
    List<Expr> nodes = new ArrayList<>();
    for (Expr e : PostOrder.of(f.body())) {
      if (!(e instanceof Op)) {
        nodes.add(e);
      }
    }
    w.u32(nodes.size());
    int constIdx = 0;
    for (int i = 0; i < nodes.size(); i++) {
      Expr e = nodes.get(i);
      index.put(e, i);
      if (e instanceof Var v) {
        int p = f.params().indexOf(v);
        if (p < 0) {
          throw new KbyocException("free variable %" + v.name() + " in function @" + symbol);
        }
        w.u8(0).u32(p);
      } else if (e instanceof Constant c) {
        if (embedConstants) {
          writeType(w.u8(1), c.data().type());
          byte[] b = c.data().toBytes();
          w.u64(b.length).bytes(b);
        } else {
          writeType(w.u8(2).str(symbol + "_const_" + constIdx++), c.data().type());
        }
      } else if (e instanceof Call c && c.op() instanceof Op op) {
        w.u8(3).str(op.name());
        writeAttrs(w, c.attrs());
        w.u32(c.args().size());
        for (Expr a : c.args()) {
          w.u32(index.get(a));
        }
      } else if (e instanceof Tuple t) {
        w.u8(4).u32(t.fields().size());
        for (Expr x : t.fields()) {
          w.u32(index.get(x));
        }
      } else if (e instanceof TupleGetItem g) {
        w.u8(5).u32(index.get(g.tuple())).u32(g.index());
      } else {
        throw new KbyocException("function @" + symbol + " contains " + e.describe() + ", which a module function cannot hold");
      }
    }
    return w.u32(index.get(f.body())).toByteArray();
  }

  /** Decodes and type-checks a function; every malformation is a one-line error naming {@code source}. */
  public static Subgraph decode(byte[] data, String source) {
    BinReader r = new BinReader(data, source);
    byte[] magic = r.bytes(4, "magic");
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw r.fail("bad magic (not a kbyoc subgraph)");
    }
    long version = r.u32("version");
    if (version != VERSION) {
      throw r.fail("unsupported subgraph version " + version);
    }
    int np = r.count("param count", MAX_ITEMS);
    List<Var> params = new ArrayList<>();
    for (int i = 0; i < np; i++) {
      String name = r.str("param name");
      params.add(new Var(name, readType(r)));
    }
    int nn = r.count("node count", MAX_ITEMS);
    List<Expr> nodes = new ArrayList<>();
    List<Var> constRefs = new ArrayList<>();
    for (int i = 0; i < nn; i++) {
      int kind = r.u8("node kind");
      Expr e = switch (kind) {
        case 0 -> params.get(r.count("param index", np - 1L));
        case 1 -> {
          TensorType t = readType(r);
          long n = r.u64("constant size");
          if (n != t.byteSize()) {
            throw r.fail("constant of type " + t + " declares " + n + " bytes");
          }
          yield new Constant(NDArray.fromBytes(t.dtype(), t.shape(), r.bytes(n, "constant data")));
        }
        case 2 -> {
          Var v = new Var(r.str("constant name"), readType(r));
          constRefs.add(v);
          yield v;
        }
        case 3 -> {
          String op = r.str("op name");
          if (!Op.exists(op)) {
            throw r.fail("unknown operator [" + op + "]");
          }
          Attrs attrs = readAttrs(r);
          yield Call.op(op, readRefs(r, nodes), attrs);
        }
        case 4 -> new Tuple(readRefs(r, nodes));
        case 5 -> new TupleGetItem(nodes.get(r.count("tuple index", nodes.size() - 1L)), r.count("field", MAX_ITEMS));
        default -> throw r.fail("unknown node kind " + kind);
      };
      nodes.add(e);
    }
    if (nodes.isEmpty()) {
      throw r.fail("empty function");
    }
    Expr root = nodes.get(r.count("root index", nodes.size() - 1L));
    if (!r.atEnd()) {
      throw r.fail(r.remaining() + " trailing bytes");
    }
    Function f = new Function(params, root);
    try {
      InferType.inferExpr(f);
    } catch (KbyocException ex) {
      throw new KbyocException(source + ": " + ex.getMessage());
    }
    return new Subgraph(f, constRefs);
  }

  private static List<Expr> readRefs(BinReader r, List<Expr> nodes) {
    int n = r.count("argument count", MAX_ITEMS);
    List<Expr> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (nodes.isEmpty()) {
        throw r.fail("reference to a node before any node");
      }
      out.add(nodes.get(r.count("node reference", nodes.size() - 1L)));
    }
    return out;
  }

  static void writeType(BinWriter w, TensorType t) {
    w.str(t.dtype().relayName()).u32(t.rank());
    for (int d : t.shape()) {
      w.u32(d);
    }
  }

  static TensorType readType(BinReader r) {
    DType dtype = DType.parse(r.str("dtype"));
    int rank = r.count("rank", 32);
    int[] shape = new int[rank];
    for (int i = 0; i < rank; i++) {
      shape[i] = r.count("dimension", Integer.MAX_VALUE);
    }
    NDArray.checkedSize(shape);
    return new TensorType(shape, dtype);
  }

  private static void writeAttrs(BinWriter w, Attrs attrs) {
    w.u32(attrs.names().size());
    for (Map.Entry<String, Object> e : attrs.asMap().entrySet()) {
      w.str(e.getKey());
      Object v = e.getValue();
      if (v instanceof Long l) {
        w.u8('L').u64(l);
      } else if (v instanceof Double d) {
        w.u8('D').f64(d);
      } else if (v instanceof String s) {
        w.u8('S').str(s);
      } else if (v instanceof Boolean b) {
        w.u8('B').u8(b ? 1 : 0);
      } else if (v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof List<?>) {
        w.u8('n').u32(l.size());
        for (Object row : l) {
          List<?> r = (List<?>) row;
          w.u32(r.size());
          r.forEach(x -> w.u64(((Number) x).longValue()));
        }
      } else if (v instanceof List<?> l) {
        boolean dbl = !l.isEmpty() && l.get(0) instanceof Double;
        w.u8(dbl ? 'd' : 'l').u32(l.size());
        for (Object x : l) {
          if (dbl) {
            w.f64(((Number) x).doubleValue());
          } else {
            w.u64(((Number) x).longValue());
          }
        }
      } else {
        throw new IllegalStateException("attribute " + e.getKey() + " has unsupported value " + v);
      }
    }
  }

  private static Attrs readAttrs(BinReader r) {
    int n = r.count("attribute count", 1024);
    Object[] kv = new Object[2 * n];
    for (int i = 0; i < n; i++) {
      kv[2 * i] = r.str("attribute name");
      int tag = r.u8("attribute tag");
      kv[2 * i + 1] = switch (tag) {
        case 'L' -> r.u64("long attribute");
        case 'D' -> r.f64("double attribute");
        case 'S' -> r.str("string attribute");
        case 'B' -> r.u8("bool attribute") != 0;
        case 'l', 'd' -> {
          int len = r.count("list length", 1 << 16);
          List<Object> l = new ArrayList<>(len);
          for (int j = 0; j < len; j++) {
            l.add(tag == 'd' ? (Object) r.f64("list item") : (Object) r.u64("list item"));
          }
          yield l;
        }
        case 'n' -> {
          int rows = r.count("list length", 1 << 16);
          List<Object> l = new ArrayList<>(rows);
          for (int j = 0; j < rows; j++) {
            int len = r.count("row length", 1 << 16);
            List<Object> row = new ArrayList<>(len);
            for (int k = 0; k < len; k++) {
              row.add(r.u64("list item"));
            }
            l.add(row);
          }
          yield l;
        }
        default -> throw r.fail("unknown attribute tag " + tag);
      };
    }
    return Attrs.of(kv);
  }
}
