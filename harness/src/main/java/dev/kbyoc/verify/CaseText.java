package dev.kbyoc.verify;

/** Renders a case for failure messages: a summary line, then the model as Relay text. */
public final class CaseText {
  private CaseText() {}

  public static String render(GraphCase c) {
    return "  " + c.opCount() + " ops, inputs " + c.inputs().keySet() + ", weights " + c.params().keySet()
        + ", seed " + c.seed() + "\n" + dev.kbyoc.ir.text.RelayPrinter.text(c.module());
  }
}
