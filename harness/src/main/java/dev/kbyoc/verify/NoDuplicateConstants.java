package dev.kbyoc.verify;

import dev.kbyoc.build.BuildResult;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.runtime.ConstantAudit;
import dev.kbyoc.runtime.GraphJson;
import dev.kbyoc.runtime.RuntimeModule;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Oracle 4: every constant is stored once. Checked on the partitioned build, independently of the
 * build's own invariant check: {@code unreferenced-param} (a param that is neither a graph input
 * nor a constant some module declares it reads: the runtime would warn "cannot find ... among
 * input", as for the seed bug's {@code kendryte_0_const_i}); {@code duplicated-bytes} (a param's
 * bytes, at least {@link #MIN_BYTES} long, also occur inside a module blob, i.e. the weight is
 * embedded there too). A param that a host op of the graph reads is exempt from the byte search:
 * it is shared (one weight used by a host op and by an embedding module, which cannot hand its
 * weights to the host), not a copy the build made; a param that only a module's call node reads
 * while the module embeds it is still a duplicate.
 */
public final class NoDuplicateConstants implements Oracle {
  public static final String NAME = "no-duplicate-constants";
  /** Shorter params are not searched for in blobs (a few bytes can match by chance). */
  public static final int MIN_BYTES = 16;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Verdict check(CaseRun run) {
    return check(run.builtPartitioned());
  }

  /** Checks one build. */
  public Verdict check(BuildResult b) {
    Set<String> inputs = new HashSet<>();
    for (int nid : b.graph().argNodes()) {
      GraphJson.Node n = b.graph().nodes().get(nid);
      inputs.add(n.name());
    }
    Set<String> declared = new HashSet<>();
    for (RuntimeModule m : b.modules()) {
      declared.addAll(m.constVars());
    }
    Set<String> hostRead = b.graph().inputsReadByHost(ConstantAudit.externalSymbols(b.modules()));
    for (String p : b.params().keySet()) {
      if (!inputs.contains(p) && !declared.contains(p)) {
        return Verdict.fail(NAME, "unreferenced-param", "param \"" + p + "\" (" + b.params().get(p).byteSize()
            + " bytes) is neither a graph input nor read by any module");
      }
    }
    for (Map.Entry<String, NDArray> p : b.params().entrySet()) {
      byte[] bytes = p.getValue().toBytes();
      if (bytes.length < MIN_BYTES || declared.contains(p.getKey()) || hostRead.contains(p.getKey())) {
        continue;
      }
      for (RuntimeModule m : b.modules()) {
        if (indexOf(m.serialize(), bytes) >= 0) {
          return Verdict.fail(NAME, "duplicated-bytes", "the " + bytes.length + " bytes of param \"" + p.getKey()
              + "\" also occur in the " + m.typeKey() + " module of " + m.symbols());
        }
      }
    }
    return Verdict.pass();
  }

  /** First index of {@code needle} in {@code hay}, or -1 (naive scan: blobs here are small). */
  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
