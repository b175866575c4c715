package dev.kbyoc.report;

import dev.kbyoc.report.ModelSummary.LayerAccuracy;
import dev.kbyoc.report.ModelSummary.LayerMemory;
import dev.kbyoc.report.ModelSummary.PackageSize;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Renders model summaries as one self-contained HTML page (no scripts, no external resources): per
 * model the partition picture, the package size table, the per-layer accuracy plots and the KPU RAM
 * plot, each followed by its numbers as a table.
 *
 * <p>The partition picture is an inline SVG from Graphviz {@code dot} when it is installed, else the
 * Graphviz source.
 */
public final class SummaryPage {
  /** A package more than this many times its unique constant bytes is flagged as duplicating. */
  public static final double RATIO_WARN = 1.5;

  private SummaryPage() {}

  /** The whole page for {@code models}, in the given order. */
  public static String render(List<ModelSummary> models) {
    StringBuilder sb = new StringBuilder(8192);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>\n")
        .append("<title>kbyoc model summary</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:24px;color:#222}h1{font-size:22px}")
        .append("h2{border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:40px}h3{font-size:15px}")
        .append("table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;")
        .append("text-align:right}td:first-child,th:first-child{text-align:left}")
        .append(".warn{color:#c0392b;font-weight:bold}.na{color:#888;font-style:italic}")
        .append(".partition svg{max-width:100%;height:auto}\n</style></head><body>\n")
        .append("<h1>kbyoc model summary</h1>\n<ul class=\"toc\">\n");
    for (ModelSummary m : models) {
      sb.append("<li><a href=\"#").append(anchor(m.model())).append("\">").append(Html.esc(m.model()))
          .append("</a></li>\n");
    }
    sb.append("</ul>\n");
    if (models.isEmpty()) {
      sb.append("<p class=\"na\">No model summaries were recorded.</p>\n");
    }
    for (ModelSummary m : models) {
      section(sb, m);
    }
    return sb.append("</body></html>\n").toString();
  }

  private static void section(StringBuilder sb, ModelSummary m) {
    sb.append("<section class=\"model\" id=\"").append(anchor(m.model())).append("\">\n<h2>")
        .append(Html.esc(m.model())).append("</h2>\n");
    if (!m.notes().isEmpty()) {
      sb.append("<ul class=\"notes\">\n");
      for (String n : m.notes()) {
        sb.append("<li class=\"warn\">").append(Html.esc(n)).append("</li>\n");
      }
      sb.append("</ul>\n");
    }
    partition(sb, m.partitionDot());
    sizes(sb, m.sizes());
    accuracy(sb, m.accuracy());
    memory(sb, m.kpuRam(), m.kpuRamCapacity());
    sb.append("</section>\n");
  }

  private static void partition(StringBuilder sb, String dot) {
    sb.append("<h3>Partition</h3>\n");
    if (dot == null) {
      sb.append("<p class=\"na\">No partition picture recorded.</p>\n");
      return;
    }
    Optional<String> svg = Graphviz.render(dot);
    if (svg.isPresent()) {
      sb.append("<div class=\"partition\">").append(Graphviz.inlineable(svg.get())).append("</div>\n");
    } else {
      sb.append("<p class=\"na\">Graphviz <code>dot</code> is not installed; its source:</p>\n<pre>")
          .append(Html.esc(dot)).append("</pre>\n");
    }
  }

  private static void sizes(StringBuilder sb, List<PackageSize> sizes) {
    sb.append("<h3>Package size</h3>\n");
    if (sizes.isEmpty()) {
      sb.append("<p class=\"na\">No package sizes recorded.</p>\n");
      return;
    }
    sb.append("<table class=\"sizes\"><tr><th>build</th><th>unique constant bytes</th>")
        .append("<th>package bytes</th><th>package / unique</th></tr>\n");
    for (PackageSize s : sizes) {
      double r = s.ratio();
      boolean warn = r > RATIO_WARN;
      sb.append("<tr><td>").append(Html.esc(s.variant())).append("</td><td>").append(s.uniqueConstantBytes())
          .append("</td><td>").append(s.packageBytes()).append("</td><td").append(warn ? " class=\"warn\"" : "")
          .append('>').append(Double.isNaN(r) ? "n/a" : String.format(Locale.ROOT, "%.2f", r))
          .append(warn ? " (duplicated constants?)" : "").append("</td></tr>\n");
    }
    sb.append("</table>\n");
  }

  private static void accuracy(StringBuilder sb, List<LayerAccuracy> rows) {
    sb.append("<h3>Simulator accuracy per layer</h3>\n");
    if (rows.isEmpty()) {
      sb.append("<p class=\"na\">No per-layer accuracy recorded.</p>\n");
      return;
    }
    List<String> labels = rows.stream().map(LayerAccuracy::layer).toList();
    double[] cos = rows.stream().mapToDouble(LayerAccuracy::cosine).toArray();
    double[] lsb = rows.stream().mapToDouble(LayerAccuracy::maxLsbError).toArray();
    double min = 1;
    for (double c : cos) {
      min = Math.min(min, c);
    }
    double lo = Math.min(0.99, Math.floor(min * 100) / 100 - 0.01);
    sb.append(SvgChart.line("Cosine similarity per layer", labels, cos, "cosine", lo, 1.0, OptionalDouble.empty()));
    sb.append(SvgChart.bars("Max error per layer (LSB)", labels, lsb, "LSB", OptionalDouble.empty()));
    sb.append("<table class=\"accuracy\"><tr><th>layer</th><th>cosine</th><th>max LSB error</th></tr>\n");
    for (LayerAccuracy a : rows) {
      sb.append("<tr><td>").append(Html.esc(a.layer())).append("</td><td>")
          .append(String.format(Locale.ROOT, "%.6f", a.cosine())).append("</td><td>").append(a.maxLsbError())
          .append("</td></tr>\n");
    }
    sb.append("</table>\n");
  }

  private static void memory(StringBuilder sb, List<LayerMemory> rows, long capacity) {
    sb.append("<h3>KPU RAM per layer</h3>\n");
    if (rows.isEmpty()) {
      sb.append("<p class=\"na\">No KPU layers recorded.</p>\n");
      return;
    }
    List<String> labels = rows.stream().map(LayerMemory::layer).toList();
    double[] kib = rows.stream().mapToDouble(r -> r.usedBytes() / 1024.0).toArray();
    sb.append(SvgChart.bars("KPU RAM in use per layer", labels, kib, "KiB", OptionalDouble.of(capacity / 1024.0)));
    sb.append("<table class=\"kpu-ram\"><tr><th>layer</th><th>bytes</th><th>of capacity</th></tr>\n");
    for (LayerMemory r : rows) {
      boolean over = r.usedBytes() > capacity;
      sb.append("<tr><td>").append(Html.esc(r.layer())).append("</td><td").append(over ? " class=\"warn\"" : "")
          .append('>').append(r.usedBytes()).append("</td><td>")
          .append(String.format(Locale.ROOT, "%.1f%%", 100.0 * r.usedBytes() / capacity)).append("</td></tr>\n");
    }
    sb.append("</table>\n");
  }

  /** An HTML id for a model name: letters, digits, '-' and '_' kept, others replaced by '-'. */
  static String anchor(String model) {
    return "model-" + model.replaceAll("[^A-Za-z0-9_-]", "-");
  }
}
