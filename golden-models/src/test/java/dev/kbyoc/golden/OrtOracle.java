package dev.kbyoc.golden;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.kbyoc.ir.NDArray;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs a golden model on ONNX Runtime, the independent oracle (single-threaded, for reproducibility). */
final class OrtOracle {
  private OrtOracle() {}

  static List<NDArray> run(GoldenModel m) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(1);
      opts.setInterOpNumThreads(1);
      try (OrtSession s = env.createSession(m.model().toByteArray(), opts)) {
        long[] shape = java.util.Arrays.stream(m.inputShape()).asLongStream().toArray();
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(m.inputData()), shape);
             OrtSession.Result r = s.run(Map.of(m.input(), in))) {
          List<NDArray> out = new ArrayList<>();
          for (int i = 0; i < r.size(); i++) {
            OnnxTensor t = (OnnxTensor) r.get(i);
            int[] os = java.util.Arrays.stream(t.getInfo().getShape()).mapToInt(Math::toIntExact).toArray();
            FloatBuffer fb = t.getFloatBuffer();
            float[] f = new float[fb.remaining()];
            fb.get(f);
            out.add(NDArray.of(f, os));
          }
          return out;
        }
      }
    }
  }
}
