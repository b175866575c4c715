package dev.kbyoc.properties;

import dev.kbyoc.verify.GraphCase;
import dev.kbyoc.verify.PropertyRunner;

/** Renders a failing graph for a property-test failure message. */
final class GraphRender {
  private GraphRender() {}

  static String describe(GraphCase c) {
    return dev.kbyoc.verify.CaseText.render(c);
  }

  static String bundleLine(PropertyRunner.Failure<GraphCase> f) {
    return "";
  }
}
