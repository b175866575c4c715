package dev.kbyoc.build;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import java.util.List;
import java.util.Map;

/**
 * Options of one build.
 *
 * @param forceDefaultUpdater use the default constant updater even where a codegen registers its
 *     own ({@code --constant-updater default}: the seed bug, on purpose); the invariant check then
 *     warns instead of failing
 * @param quantize the numbers quantizing codegens emit ({@code --quantize}): {@value #FLOAT}
 *     (float arithmetic, equal to the host to float32 rounding) or {@value #UINT8} (the
 *     accelerator's integer format); codegens that do not quantize ignore it
 * @param calibration per external function symbol, the inputs that function receives on the
 *     calibration set ({@code --calibrate DIR}, see {@link RegionCalibration}); a function without
 *     an entry is calibrated by its codegen's own synthetic set
 */
public record BuildOptions(boolean forceDefaultUpdater, String quantize, Map<String, List<NDArray>> calibration) {
  /** {@code --quantize float}. */
  public static final String FLOAT = "float";
  /** {@code --quantize uint8}. */
  public static final String UINT8 = "uint8";
  /** Registered updaters, float, no calibration data. */
  public static final BuildOptions DEFAULT = new BuildOptions(false, FLOAT, Map.of());

  public BuildOptions {
    if (!FLOAT.equals(quantize) && !UINT8.equals(quantize)) {
      throw new KbyocException("--quantize must be float or uint8, got [" + quantize + "]");
    }
    calibration = Map.copyOf(calibration);
  }

  public BuildOptions withForceDefaultUpdater(boolean force) {
    return new BuildOptions(force, quantize, calibration);
  }

  /** The same options with {@code --quantize q}. */
  public BuildOptions withQuantize(String q) {
    return new BuildOptions(forceDefaultUpdater, q, calibration);
  }

  /** The same options with per-symbol calibration inputs. */
  public BuildOptions withCalibration(Map<String, List<NDArray>> c) {
    return new BuildOptions(forceDefaultUpdater, quantize, c);
  }
}
