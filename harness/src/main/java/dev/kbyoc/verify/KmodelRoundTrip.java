package dev.kbyoc.verify;

import dev.kbyoc.kendryte.codegen.KmodelFunction;
import dev.kbyoc.kendryte.format.KmodelReader;
import dev.kbyoc.kendryte.format.KmodelWriter;
import dev.kbyoc.kendryte.sim.SimMode;
import java.util.Arrays;
import java.util.List;

/**
 * Oracle 5b: every kmodel the codegen writes for a case reads back and writes again to the same
 * bytes ({@code bytes}), and the loaded kmodel computes bit-identical uint8 results
 * ({@code behaviour}).
 */
public final class KmodelRoundTrip implements Oracle {
  public static final String NAME = "kmodel-round-trip";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Verdict check(CaseRun run) {
    for (KendryteModels.Compiled c : KendryteModels.of(run)) {
      byte[] bytes = c.kmodel().bytes();
      byte[] again = KmodelWriter.write(KmodelReader.read(c.symbol(), bytes));
      if (!Arrays.equals(bytes, again)) {
        return Verdict.fail(NAME, "bytes", c.symbol() + ": kmodel of " + bytes.length + " bytes re-written as "
            + again.length + " bytes, first difference at offset " + Arrays.mismatch(bytes, again));
      }
      KmodelFunction loaded = KmodelFunction.load(c.symbol(), bytes, c.kmodel().inputQuant());
      String[] d = TolerancePolicy.EXACT.compare("compiled", c.kmodel().run(List.of(c.input()), SimMode.UINT8),
          "loaded", loaded.run(List.of(c.input()), SimMode.UINT8));
      if (d != null) {
        return Verdict.fail(NAME, "behaviour", c.symbol() + ": " + d[1]);
      }
    }
    return Verdict.pass();
  }
}
