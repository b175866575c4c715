package dev.kbyoc.verify;

import dev.kbyoc.ir.Faults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * A fuzz campaign's settings. Case {@code i} (0 <= i < tries) has seed {@code caseSeed(seed, i)};
 * shard {@code K/N} runs the indices with {@code i % N == K - 1}, so shards of one seed are
 * disjoint and their bundles (named by case seed) merge without clashes.
 */
public record FuzzConfig(int tries, long seed, GenOptions options, Duration timeBudget, int jobs, int shard,
    int shards, Set<Faults.Fault> faults, Path out, boolean reduce, int maxReduceChecks, int maxFailures) {
  public FuzzConfig {
    if (shards < 1 || shard < 1 || shard > shards) {
      throw new IllegalArgumentException("shard [" + shard + "/" + shards + "] must satisfy 1 <= K <= N");
    }
    jobs = Math.max(1, jobs);
    faults = Set.copyOf(faults);
  }

  public static FuzzConfig of(int tries, long seed, GenOptions options) {
    return new FuzzConfig(tries, seed, options, null, 1, 1, 1, Set.of(), null, true, Reducer.DEFAULT_MAX_CHECKS, 0);
  }

  public FuzzConfig withFaults(Set<Faults.Fault> f) {
    return new FuzzConfig(tries, seed, options, timeBudget, jobs, shard, shards, f, out, reduce, maxReduceChecks, maxFailures);
  }

  public FuzzConfig withOut(Path dir) {
    return new FuzzConfig(tries, seed, options, timeBudget, jobs, shard, shards, faults, dir, reduce, maxReduceChecks, maxFailures);
  }

  public FuzzConfig withJobs(int j) {
    return new FuzzConfig(tries, seed, options, timeBudget, j, shard, shards, faults, out, reduce, maxReduceChecks, maxFailures);
  }

  public FuzzConfig withShard(int k, int n) {
    return new FuzzConfig(tries, seed, options, timeBudget, jobs, k, n, faults, out, reduce, maxReduceChecks, maxFailures);
  }

  public FuzzConfig withTimeBudget(Duration d) {
    return new FuzzConfig(tries, seed, options, d, jobs, shard, shards, faults, out, reduce, maxReduceChecks, maxFailures);
  }

  public FuzzConfig withReduce(boolean r) {
    return new FuzzConfig(tries, seed, options, timeBudget, jobs, shard, shards, faults, out, r, maxReduceChecks, maxFailures);
  }

  /** Stop starting cases after {@code n} failures (0 = never stop early). */
  public FuzzConfig withMaxFailures(int n) {
    return new FuzzConfig(tries, seed, options, timeBudget, jobs, shard, shards, faults, out, reduce, maxReduceChecks, n);
  }

  /** Whether case index {@code i} belongs to this shard. */
  public boolean mine(int i) {
    return i % shards == shard - 1;
  }
}
