package dev.kbyoc.properties;

import dev.kbyoc.verify.GenOptions;
import dev.kbyoc.verify.GraphGenerator;
import dev.kbyoc.verify.KmodelRoundTrip;
import dev.kbyoc.verify.NoDuplicateConstants;
import dev.kbyoc.verify.NumericEquivalence;
import dev.kbyoc.verify.PackageRoundTrip;
import dev.kbyoc.verify.QuantizedRounding;
import org.junit.jupiter.api.Test;

/**
 * Properties of the built artifacts over random graphs: numeric equivalence of the graph runtime
 * (partitioned and host-only builds) with the interpreter, no duplicated constants, uint8
 * simulator rounding, kmodel and package round trips.
 */
class BuildPropertiesTest {
  private static final GraphGenerator GRAPHS = new GraphGenerator(GenOptions.DEFAULT.withMaxNodes(30));

  @Test
  void graphRuntimeMatchesInterpreter() {
    PropertyCheck.oracle(300, new NumericEquivalence(), GRAPHS);
  }

  @Test
  void noConstantIsStoredTwice() {
    PropertyCheck.oracle(300, new NoDuplicateConstants(), GRAPHS);
  }

  @Test
  void uint8SimulatorOnlyAddsRoundingNoise() {
    PropertyCheck.oracle(300, new QuantizedRounding(), GRAPHS);
  }

  @Test
  void kmodelsRoundTrip() {
    PropertyCheck.oracle(300, new KmodelRoundTrip(), GRAPHS);
  }

  @Test
  void packagesRoundTrip() {
    PropertyCheck.oracle(300, new PackageRoundTrip(), GRAPHS);
  }
}
