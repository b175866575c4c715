package dev.kbyoc.verify;

import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.Var;
import dev.kbyoc.pass.InferType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random well-typed graphs from one seed. Algorithm: 1. start from one NCHW (sometimes 2-D)
 * input; 2. draw a target op count in [minNodes, maxNodes]; 3. repeatedly draw an op — a
 * target-supported one with probability {@code supportedRatio}, else an unsupported one — and let
 * its {@link OpGen} add a call on existing values (recent ones for chains, older ones for fan-out
 * and diamonds), new inputs or new weights; 4. make every unused result an output (a Tuple when
 * there are several, which gives multi-output regions). Shapes are solved per op, so every draw
 * that the op's registered type relation accepts is kept.
 */
public final class GraphGenerator implements Gen<GraphCase> {
  private final GenOptions options;
  private final List<OpGen> supported = new ArrayList<>();
  private final List<OpGen> unsupported = new ArrayList<>();

  public GraphGenerator(GenOptions options) {
    this.options = options;
    java.util.Set<String> sup = options.supportedOps();
    if (sup.isEmpty() && dev.kbyoc.op.Targets.exists(options.target())) {
      sup = dev.kbyoc.op.Targets.get(options.target()).ops();
    }
    for (OpGen g : OpGens.available()) {
      if (!options.onlyOps().isEmpty() && !options.onlyOps().contains(g.op())) {
        continue;
      }
      (sup.contains(g.op()) ? supported : unsupported).add(g);
    }
    if (supported.isEmpty() && unsupported.isEmpty()) {
      throw new IllegalStateException("no registered op has a generator");
    }
  }

  public GenOptions options() {
    return options;
  }

  /** Names of the ops this generator can draw (the registered ones). */
  public List<String> ops() {
    List<String> out = new ArrayList<>();
    supported.forEach(g -> out.add(g.op()));
    unsupported.forEach(g -> out.add(g.op()));
    return out;
  }

  /** The graph for one seed (the same seed always gives the same graph). */
  public GraphCase generate(long seed) {
    GraphBuilder b = new GraphBuilder(Seeds.rng(seed), options);
    build(b);
    return finish(b, seed);
  }

  @Override
  public GraphCase next(SplittableRandom r) {
    return generate(r.nextLong());
  }

  @Override
  public GraphCase sample(long seed) {
    return generate(seed);
  }

  private void build(GraphBuilder b) {
    b.newInput(b.randomShape(b.rng.nextInt(5) == 0 ? 2 : 4));
    int lo = Math.min(Math.max(1, options.minNodes()), options.maxNodes());
    int target = lo + b.rng.nextInt(options.maxNodes() - lo + 1);
    int attempts = 0;
    while (b.opCount() < target && attempts++ < target * 4 + 8) {
      List<OpGen> pool = pool(b.rng);
      OpGen g = pool.get(b.rng.nextInt(pool.size()));
      g.build(b);
    }
  }

  private List<OpGen> pool(SplittableRandom rng) {
    if (supported.isEmpty()) {
      return unsupported;
    }
    if (unsupported.isEmpty()) {
      return supported;
    }
    return rng.nextDouble() < options.supportedRatio() ? supported : unsupported;
  }

  private GraphCase finish(GraphBuilder b, long seed) {
    List<Expr> outs = b.sinks();
    if (outs.isEmpty()) {
      // Only possible when every draw failed: fall back to the identity-free relu of the input.
      throw new IllegalStateException("generator made no op for seed " + seed);
    }
    Expr body = outs.size() == 1 ? outs.get(0) : b.tuple(outs);
    List<Var> params = new ArrayList<>(b.inputVars);
    params.addAll(b.weightVars);
    IRModule m = IRModule.fromMain(new Function(params, body));
    InferType.run(m);
    return new GraphCase(m, b.params, b.inputs, seed, options);
  }
}
