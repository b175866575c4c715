package dev.kbyoc.verify;

import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.StructuralEqual;
import dev.kbyoc.ir.text.RelayParser;
import dev.kbyoc.ir.text.RelayPrinter;
import dev.kbyoc.pass.InferType;

/**
 * Oracle 5a: printing a module as Relay text and parsing it back gives a structurally equal
 * module, for both the original case and its partitioned form (external functions, attributes,
 * tuples and projections included). Kinds: {@code original} and {@code partitioned}.
 */
public final class TextRoundTrip implements Oracle {
  public static final String NAME = "text-round-trip";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Verdict check(CaseRun run) {
    String d = difference(run.testCase().module());
    if (d != null) {
      return Verdict.fail(NAME, "original", d);
    }
    d = difference(run.partitioned());
    return d == null ? Verdict.pass() : Verdict.fail(NAME, "partitioned", d);
  }

  /** Null when print/parse gives an equal module, else the first difference. */
  public static String difference(IRModule m) {
    RelayPrinter.Printed p = RelayPrinter.print(m);
    IRModule back = RelayParser.parse("round-trip.relay", p.text(), p.constants(), InferType::run);
    return StructuralEqual.equal(m, back) ? null : StructuralEqual.firstDifference(m, back);
  }
}
