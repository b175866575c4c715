package dev.kbyoc.verify;

import java.util.Set;

/**
 * Knobs of the random graph generator.
 *
 * @param maxNodes most op calls in one graph (tuples and projections not counted)
 * @param minNodes fewest op calls the generator aims for (capped by maxNodes)
 * @param target the compiler name partitions offload to
 * @param supportedOps ops the target supports, for the mix; empty: the ops the registered target
 *     of that name has predicates for
 * @param supportedRatio probability that a drawn op is one the target supports
 * @param weightParamRatio probability that a weight is a free parameter (bound later) rather than
 *     an inline constant
 * @param maxChannels most channels of a generated NCHW tensor
 * @param onlyOps when not empty, the generator draws only these ops
 */
public record GenOptions(int maxNodes, int minNodes, String target, Set<String> supportedOps, double supportedRatio,
    double weightParamRatio, int maxChannels, Set<String> onlyOps) {
  public static final GenOptions DEFAULT = new GenOptions(30, 1, "kendryte", Set.of(), 0.6, 0.5, 8, Set.of());

  public GenOptions {
    if (maxNodes < 1) {
      throw new IllegalArgumentException("maxNodes [" + maxNodes + "] must be >= 1");
    }
    supportedOps = Set.copyOf(supportedOps);
    onlyOps = Set.copyOf(onlyOps);
  }

  public GenOptions withMaxNodes(int n) {
    return new GenOptions(n, Math.min(minNodes, n), target, supportedOps, supportedRatio, weightParamRatio, maxChannels, onlyOps);
  }

  public GenOptions withMinNodes(int n) {
    return new GenOptions(maxNodes, n, target, supportedOps, supportedRatio, weightParamRatio, maxChannels, onlyOps);
  }

  public GenOptions withTarget(String t, Set<String> supported) {
    return new GenOptions(maxNodes, minNodes, t, supported, supportedRatio, weightParamRatio, maxChannels, onlyOps);
  }

  /** Draw only these ops (empty: every registered op with a generator). */
  public GenOptions withOnlyOps(Set<String> ops) {
    return new GenOptions(maxNodes, minNodes, target, supportedOps, supportedRatio, weightParamRatio, maxChannels, ops);
  }

  public GenOptions withSupportedRatio(double r) {
    return new GenOptions(maxNodes, minNodes, target, supportedOps, r, weightParamRatio, maxChannels, onlyOps);
  }
}
