package dev.kbyoc.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzz targets (Jazzer), one per loader; each input must pass
 * {@link LoaderTarget#check}. In {@code mvn verify} every method replays its committed corpus,
 * {@code src/test/resources/dev/kbyoc/fuzz/LoaderFuzzTestInputs/<method>/} (valid seeds plus every
 * crash ever found, each fixed since). With {@code -Pfuzz} (environment {@code JAZZER_FUZZ=1}) the
 * one selected method is fuzzed for up to {@code maxDuration}, and a crash is written to that folder.
 */
class LoaderFuzzTest {
  @FuzzTest(maxDuration = "90s")
  void params(byte[] data) {
    LoaderTarget.PARAMS.check(data);
  }

  @FuzzTest(maxDuration = "90s")
  void npy(byte[] data) {
    LoaderTarget.NPY.check(data);
  }

  @FuzzTest(maxDuration = "90s")
  void kmodel(byte[] data) {
    LoaderTarget.KMODEL.check(data);
  }

  @FuzzTest(maxDuration = "90s")
  void packageArchive(byte[] data) {
    LoaderTarget.PACKAGE.check(data);
  }

  @FuzzTest(maxDuration = "90s")
  void manifest(byte[] data) {
    LoaderTarget.MANIFEST.check(data);
  }

  @FuzzTest(maxDuration = "90s")
  void graphJson(byte[] data) {
    LoaderTarget.GRAPH_JSON.check(data);
  }

  @FuzzTest(maxDuration = "90s")
  void onnx(byte[] data) {
    LoaderTarget.ONNX.check(data);
  }

  @FuzzTest(maxDuration = "90s")
  void relay(byte[] data) {
    LoaderTarget.RELAY.check(data);
  }
}
