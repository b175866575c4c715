package dev.kbyoc.properties;

import dev.kbyoc.verify.TextRoundTrip;
import org.junit.jupiter.api.Test;

/** Printing random graphs (original and partitioned) as Relay text and parsing them back is the identity. */
class TextRoundTripTest {
  @Test
  void printThenParseIsIdentity() {
    PropertyCheck.oracle(300, new TextRoundTrip());
  }
}
