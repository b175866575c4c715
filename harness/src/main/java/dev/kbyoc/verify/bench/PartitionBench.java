package dev.kbyoc.verify.bench;

import dev.kbyoc.verify.PartitionScaling;
import java.util.ArrayList;
import java.util.List;

/**
 * Partition scaling: bind, annotate, merge and partition on chain and lattice graphs of 1k, 10k
 * and 100k ops ({@link PartitionScaling}), reporting the CPU time of each point and the ratio
 * t(100k) / (10 t(10k)), which is 1.0 for exactly linear scaling; the bound is 1.5.
 */
public final class PartitionBench implements BenchSection {
  public static final double GOAL_RATIO = 1.5;

  @Override
  public String name() {
    return "partition";
  }

  @Override
  public List<Figure> run(BenchOptions o) {
    List<PartitionScaling.Point> points = PartitionScaling.run();
    List<Figure> out = new ArrayList<>();
    for (PartitionScaling.Point p : points) {
      out.add(Figure.info(name(), p.shape() + " " + p.ops() + " ops", p.millis(), "ms cpu"));
    }
    for (String shape : List.of("chain", "lattice")) {
      out.add(new Figure(name(), shape + " t(100k)/(10 t(10k))", PartitionScaling.ratio(points, shape), "x",
          GOAL_RATIO, true));
    }
    return out;
  }
}
