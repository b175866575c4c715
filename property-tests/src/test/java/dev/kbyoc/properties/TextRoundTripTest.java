package dev.kbyoc.properties;

import dev.kbyoc.verify.GenOptions;
import dev.kbyoc.verify.GraphGenerator;
import dev.kbyoc.verify.TextRoundTrip;
import dev.kbyoc.verify.Verdict;
import org.junit.jupiter.api.Test;

/** Printing a random graph as Relay text and parsing it back gives a structurally equal module. */
class TextRoundTripTest {
  @Test
  void printThenParseIsIdentity() {
    GraphGenerator gen = new GraphGenerator(GenOptions.DEFAULT.withMaxNodes(30));
    PropertyCheck.graphs("text-round-trip", 300, gen, c -> {
      String d = TextRoundTrip.difference(c.module());
      return d == null ? Verdict.pass() : Verdict.fail(TextRoundTrip.NAME, "original", d);
    });
  }
}
