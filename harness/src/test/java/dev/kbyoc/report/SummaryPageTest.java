package dev.kbyoc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.report.ModelSummary.LayerAccuracy;
import dev.kbyoc.report.ModelSummary.LayerMemory;
import dev.kbyoc.report.ModelSummary.PackageSize;
import dev.kbyoc.testing.Attach;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class SummaryPageTest {
  /** Hand-made data shaped like the motivating bug: the default updater doubles the package. */
  static ModelSummary tinyCnn() {
    return new ModelSummary("tiny_cnn",
        "digraph g { x -> kendryte_0 -> \"nn.softmax\"; kendryte_0 [shape=box,color=blue]; }",
        List.of(new PackageSize("kendryte, registered constant updater", 10_000, 10_400),
            new PackageSize("kendryte, default constant updater", 10_000, 20_400)),
        List.of(new LayerAccuracy("conv2d_0", 0.9998, 1), new LayerAccuracy("conv2d_1", 0.9971, 3)),
        List.of(new LayerMemory("conv2d_0", 786_432), new LayerMemory("conv2d_1", 2_200_000)),
        ModelSummary.K210_KPU_RAM);
  }

  @Test
  void pageIsWellFormedAndFlagsDuplicationAndOverflow() throws Exception {
    String html = SummaryPage.render(List.of(tinyCnn()));
    Attach.html("summary.html", html);
    Document d = Xml.parse(html);
    List<Element> sizeCells = Xml.byClass(d, "td", "warn");
    // 20400 / 10000 = 2.04 > 1.5 is flagged; 10400 / 10000 = 1.04 is not; 2,200,000 > 2 MiB is flagged
    assertEquals(2, sizeCells.size());
    assertEquals("2.04 (duplicated constants?)", sizeCells.get(0).getTextContent());
    assertEquals("2200000", sizeCells.get(1).getTextContent());
    assertTrue(html.contains("<td>1.04</td>"));
    // 786432 / 2097152 = 37.5 %
    assertTrue(html.contains("<td>37.5%</td>"));
    assertEquals(2, Xml.byClass(d, "circle", "point").size());
    assertEquals(4, Xml.byClass(d, "rect", "bar").size()); // 2 LSB bars + 2 RAM bars
    assertEquals(1, Xml.byClass(d, "rect", "over").size());
    assertEquals("model-tiny_cnn", ((Element) d.getElementsByTagName("section").item(0)).getAttribute("id"));
  }

  @Test
  void partitionIsRenderedByGraphvizWhenInstalledElseShownAsSource() throws Exception {
    String html = SummaryPage.render(List.of(tinyCnn()));
    Document d = Xml.parse(html);
    if (Graphviz.available()) {
      Element div = Xml.byClass(d, "div", "partition").get(0);
      assertEquals("svg", ((Element) div.getElementsByTagName("svg").item(0)).getTagName());
      assertTrue(div.getTextContent().contains("kendryte_0"));
      assertTrue(div.getTextContent().contains("nn.softmax"));
    } else {
      assertTrue(html.contains("<pre>digraph g { x -&gt; kendryte_0"));
    }
  }

  @Test
  void missingPartsSayNotAvailable() throws Exception {
    ModelSummary empty = new ModelSummary("bare", null, List.of(), List.of(), List.of(), 1024);
    String html = SummaryPage.render(List.of(empty));
    Document d = Xml.parse(html);
    assertEquals(4, Xml.byClass(d, "p", "na").size());
    assertFalse(html.contains("<svg"));
    assertTrue(SummaryPage.render(List.of()).contains("No model summaries were recorded."));
  }

  @Test
  void notesAreListedEscapedUnderTheModelName() throws Exception {
    ModelSummary s = new ModelSummary("m", null, List.of(), List.of(), List.of(), 1024,
        List.of("kendryte_0: nn.softmax is not part of a <conv> chain", "second"));
    Document d = Xml.parse(SummaryPage.render(List.of(s)));
    List<Element> notes = Xml.byClass(d, "li", "warn");
    assertEquals(2, notes.size());
    assertEquals("kendryte_0: nn.softmax is not part of a <conv> chain", notes.get(0).getTextContent());
    assertEquals(List.of(), new ModelSummary("m", null, List.of(), List.of(), List.of(), 1, null).notes());
  }

  @Test
  void recordsRejectBadValuesNamingTheLayer() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LayerAccuracy("conv2d_3", 1.5, 0));
    assertEquals("cosine [1.5] of [conv2d_3] outside [-1, 1]", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new LayerMemory("x", -1));
    assertTrue(Double.isNaN(new PackageSize("host", 0, 100).ratio()));
  }

  @Test
  void anchorsAreSafeIds() {
    assertEquals("model-resnet-18_v1-onnx", SummaryPage.anchor("resnet 18_v1.onnx"));
  }
}
