package dev.kbyoc.build;

/**
 * Options of one build.
 *
 * @param forceDefaultUpdater use the default constant updater even where a codegen registers its
 *     own ({@code --constant-updater default}: the seed bug, on purpose); the invariant check then
 *     warns instead of failing
 */
public record BuildOptions(boolean forceDefaultUpdater) {
  public static final BuildOptions DEFAULT = new BuildOptions(false);

  public BuildOptions withForceDefaultUpdater(boolean force) {
    return new BuildOptions(force);
  }
}
