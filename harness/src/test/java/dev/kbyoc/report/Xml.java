package dev.kbyoc.report;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** Test helper: parses generated SVG / XHTML with the JDK's XML parser (so malformed output fails). */
final class Xml {
  private Xml() {}

  static Document parse(String xml) throws Exception {
    String body = xml.replaceFirst("(?s)^<!DOCTYPE html>\\s*", "");
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(false);
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return f.newDocumentBuilder().parse(new InputSource(new StringReader(body)));
  }

  /** Elements named {@code tag} whose class attribute contains {@code cls} (or all when cls is null). */
  static List<Element> byClass(Document d, String tag, String cls) {
    NodeList nl = d.getElementsByTagName(tag);
    List<Element> out = new ArrayList<>();
    for (int i = 0; i < nl.getLength(); i++) {
      Element e = (Element) nl.item(i);
      if (cls == null || List.of(e.getAttribute("class").split(" ")).contains(cls)) {
        out.add(e);
      }
    }
    return out;
  }
}
