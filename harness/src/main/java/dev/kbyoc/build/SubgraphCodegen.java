package dev.kbyoc.build;

import dev.kbyoc.ir.Function;
import dev.kbyoc.runtime.RuntimeModule;
import dev.kbyoc.runtime.SubgraphCodec;
import dev.kbyoc.runtime.SubgraphModule;

/**
 * A real, minimal external codegen: serialises the partitioned function with {@link SubgraphCodec}
 * into a {@link SubgraphModule} that runs it with the host kernels. With {@code embedConstants}
 * the constants go into its blob (as a kmodel embeds its weights; register an empty constant
 * updater with it, as the test codegen {@code hostembed} does); {@code json} references them by
 * the default updater's names and reads them from the params at init, like TVM's JSON runtime.
 */
public final class SubgraphCodegen implements Codegen {
  private final String typeKey;
  private final boolean embedConstants;

  public SubgraphCodegen(String typeKey, boolean embedConstants) {
    this.typeKey = typeKey;
    this.embedConstants = embedConstants;
  }

  @Override
  public RuntimeModule compile(Function function, String symbol) {
    return SubgraphModule.create(typeKey, symbol, SubgraphCodec.encode(function, embedConstants, symbol));
  }
}
