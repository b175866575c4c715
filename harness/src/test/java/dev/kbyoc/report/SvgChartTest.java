package dev.kbyoc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.testing.Attach;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class SvgChartTest {
  // plot area: height 300 - top 30 - bottom 90 = 180 px, bottom edge at y = 210

  @Test
  void barHeightsAreProportionalToTheAxisMaximum() throws Exception {
    String svg = SvgChart.bars("ram", List.of("a", "b", "c"), new double[] {50, 100, 25}, "KiB", OptionalDouble.of(200));
    Attach.svg("bars.svg", svg);
    List<Element> bars = Xml.byClass(Xml.parse(svg), "rect", "bar");
    assertEquals(3, bars.size());
    // axis max is the limit 200: 50/200*180 = 45, 100/200*180 = 90, 25/200*180 = 22.5
    assertEquals("45.00", bars.get(0).getAttribute("height"));
    assertEquals("90.00", bars.get(1).getAttribute("height"));
    assertEquals("22.50", bars.get(2).getAttribute("height"));
    assertEquals("165.00", bars.get(0).getAttribute("y"));
    // plot width 760 - 70 - 20 = 670, band 223.33; bars are capped at 60 px and centred: 70 + 111.67 - 30
    assertEquals("60.00", bars.get(0).getAttribute("width"));
    assertEquals("151.67", bars.get(0).getAttribute("x"));
    assertEquals("b", bars.get(1).getAttribute("data-label"));
    assertEquals("100", bars.get(1).getAttribute("data-value"));
    assertEquals(0, Xml.byClass(Xml.parse(svg), "rect", "over").size());
  }

  @Test
  void barsOverTheLimitAreMarkedAndScaleTheAxis() throws Exception {
    String svg = SvgChart.bars("ram", List.of("a", "b"), new double[] {300, 60}, "KiB", OptionalDouble.of(150));
    Document d = Xml.parse(svg);
    List<Element> over = Xml.byClass(d, "rect", "over");
    assertEquals(1, over.size());
    assertEquals("a", over.get(0).getAttribute("data-label"));
    assertEquals("180.00", over.get(0).getAttribute("height"));
    assertEquals("36.00", Xml.byClass(d, "rect", "bar").get(1).getAttribute("height"));
    Element limit = Xml.byClass(d, "line", "limit").get(0);
    assertEquals("120.00", limit.getAttribute("y1")); // 150 of 300 -> half way: 210 - 90
  }

  @Test
  void linePointsSitOnTheFixedAxisAndEscapeLabels() throws Exception {
    String svg = SvgChart.line("cos", List.of("conv<1>", "relu&2"), new double[] {1.0, 0.95}, "cosine",
        0.9, 1.0, OptionalDouble.of(0.99));
    Document d = Xml.parse(svg);
    List<Element> pts = Xml.byClass(d, "circle", "point");
    assertEquals("30.00", pts.get(0).getAttribute("cy"));
    assertEquals("120.00", pts.get(1).getAttribute("cy"));
    assertEquals("conv<1>", pts.get(0).getAttribute("data-label"));
    assertEquals(List.of(pts.get(1)), Xml.byClass(d, "circle", "under"));
    assertTrue(svg.contains("relu&amp;2"));
  }

  @Test
  void rejectsNonFiniteValuesAndMismatchedLabels() {
    assertThrows(IllegalArgumentException.class,
        () -> SvgChart.bars("t", List.of("a"), new double[] {Double.NaN}, "u", OptionalDouble.empty()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SvgChart.bars("t", List.of("a", "b"), new double[] {1}, "u", OptionalDouble.empty()));
    assertEquals("[2] labels for [1] values", e.getMessage());
  }

  @Test
  void numbersArePrintedCompactly() {
    assertEquals("2048", SvgChart.num(2048));
    assertEquals("0.999", SvgChart.num(0.999));
    assertEquals("-3", SvgChart.num(-3.0));
  }
}
