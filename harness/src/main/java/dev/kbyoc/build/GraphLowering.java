package dev.kbyoc.build;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.GlobalVar;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.PostOrder;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.TupleType;
import dev.kbyoc.ir.Type;
import dev.kbyoc.ir.Var;
import dev.kbyoc.pass.DataflowOrder;
import dev.kbyoc.runtime.GraphJson;
import dev.kbyoc.runtime.GraphJson.EntryRef;
import dev.kbyoc.runtime.SubgraphCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lowers a fused host function to the graph executor's graph, as TVM's
 * {@code GraphExecutorCodegen}: params become input nodes in order; then, in post-order, each
 * constant becomes an input node {@code p<n>} with n the number of params so far (external
 * constants added by the default updater count, as in TVM v0.8), each call of a primitive
 * function a {@code tvm_op} node calling its host kernel {@code fused_<op>_<op>...}, each call of
 * an external function a {@code tvm_op} node calling its global symbol; tuples and tuple items
 * only route entries. Structurally identical primitive functions share one kernel; node names are
 * made unique TVM's way ({@code fused_add}, {@code fused_add1}, ...).
 */
final class GraphLowering {
  /** DLPack device type of the host CPU ({@code kDLCPU}), written to {@code device_index}. */
  static final int KDL_CPU = 1;

  private final Function main;
  private final Map<String, NDArray> params;
  private final Map<String, byte[]> hostFunctions = new LinkedHashMap<>();
  private final Map<ByteBuffer, String> kernelByBody = new HashMap<>();
  private final Map<String, Integer> kernelNames = new HashMap<>();
  private final Map<String, Integer> nodeNames = new HashMap<>();
  private final List<GraphJson.Node> nodes = new ArrayList<>();
  private final List<Expr> nodeExprs = new ArrayList<>();
  private final Map<Expr, List<EntryRef>> refs = new IdentityHashMap<>();

  GraphLowering(Function main, Map<String, NDArray> params) {
    this.main = main;
    this.params = params;
  }

  /** The host kernels lowered so far, by symbol. */
  Map<String, byte[]> hostFunctions() {
    return hostFunctions;
  }

  GraphJson lower() {
    Map<Expr, int[]> storage = StoragePlanner.plan(main);
    for (Var p : main.params()) {
      addNode(GraphJson.input(p.name()), p);
    }
    for (Expr e : DataflowOrder.of(main.body())) {
      if (e instanceof Var) {
        continue;
      }
      if (e instanceof Constant c) {
        String name = "p" + params.size();
        params.put(name, c.data());
        addNode(GraphJson.input(name), c);
      } else if (e instanceof Tuple t) {
        List<EntryRef> rs = new ArrayList<>();
        t.fields().forEach(f -> rs.addAll(refs.get(f)));
        refs.put(t, rs);
      } else if (e instanceof TupleGetItem g) {
        refs.put(g, List.of(refs.get(g.tuple()).get(g.index())));
      } else if (e instanceof Call c) {
        List<EntryRef> in = new ArrayList<>();
        c.args().forEach(a -> in.addAll(refs.get(a)));
        String func = funcName(c);
        addNode(GraphJson.op(uniqueNodeName(func), func, in, outputTypes(c).size()), c);
      } else {
        throw new KbyocException("graph lowering: unexpected " + e.describe() + " in @main");
      }
    }
    List<String> dltype = new ArrayList<>();
    List<int[]> shapes = new ArrayList<>();
    List<Integer> sids = new ArrayList<>();
    int[] rowPtr = new int[nodes.size() + 1];
    List<Integer> args = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      Expr e = nodeExprs.get(i);
      List<TensorType> types = outputTypes(e);
      for (TensorType t : types) {
        dltype.add(t.dtype().relayName());
        shapes.add(t.shape());
      }
      for (int s : storage.get(e)) {
        sids.add(s);
      }
      rowPtr[i + 1] = rowPtr[i] + types.size();
      if (nodes.get(i).isInput()) {
        args.add(i);
      }
    }
    int[] device = new int[sids.size()];
    java.util.Arrays.fill(device, KDL_CPU);
    return new GraphJson(nodes, toArray(args), refs.get(main.body()), dltype, shapes, toArray(sids), device, rowPtr);
  }

  private static int[] toArray(List<Integer> l) {
    return l.stream().mapToInt(Integer::intValue).toArray();
  }

  private void addNode(GraphJson.Node n, Expr e) {
    int id = nodes.size();
    nodes.add(n);
    nodeExprs.add(e);
    List<EntryRef> rs = new ArrayList<>();
    for (int i = 0; i < outputTypes(e).size(); i++) {
      rs.add(new EntryRef(id, i, 0));
    }
    refs.put(e, rs);
  }

  static List<TensorType> outputTypes(Expr e) {
    Type t = e.checkedType();
    List<TensorType> out = new ArrayList<>();
    if (t instanceof TupleType tt) {
      for (Type f : tt.fields()) {
        if (!(f instanceof TensorType ft)) {
          throw new KbyocException("graph lowering: " + e.describe() + " returns a nested tuple " + t);
        }
        out.add(ft);
      }
    } else if (t instanceof TensorType tt) {
      out.add(tt);
    } else {
      throw new KbyocException("graph lowering: " + e.describe() + " has type " + t);
    }
    return out;
  }

  private String funcName(Call c) {
    if (c.op() instanceof GlobalVar g) {
      return g.name();
    }
    if (!(c.op() instanceof Function f) || !f.isPrimitive()) {
      throw new KbyocException("graph lowering: " + c.describe() + " is not a call of a primitive or external function (run FuseOps first)");
    }
    byte[] body = SubgraphCodec.encode(f, true, "fused");
    ByteBuffer key = ByteBuffer.wrap(body);
    String known = kernelByBody.get(key);
    if (known != null) {
      return known;
    }
    StringBuilder base = new StringBuilder("fused");
    for (Expr e : PostOrder.of(f.body())) {
      if (e instanceof Call call && call.op() instanceof Op op) {
        base.append('_').append(op.name().replace('.', '_'));
      }
    }
    String name = unique(base.toString(), kernelNames, "_");
    kernelByBody.put(key, name);
    hostFunctions.put(name, body);
    return name;
  }

  private String uniqueNodeName(String func) {
    return unique(func, nodeNames, "");
  }

  /** TVM's GetUniqueName: {@code name}, then {@code name<sep>1}, {@code name<sep>2}, ... */
  private static String unique(String name, Map<String, Integer> seen, String sep) {
    String n = name;
    while (true) {
      Integer i = seen.get(n);
      if (i == null) {
        seen.put(n, 1);
        return n;
      }
      seen.put(n, i + 1);
      n = n + sep + i;
    }
  }
}
