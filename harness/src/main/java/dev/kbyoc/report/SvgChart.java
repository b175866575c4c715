package dev.kbyoc.report;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Small self-contained SVG charts over named categories (layers): bars from zero, or points joined
 * by a line over a fixed value range, each with an optional dashed limit line. Every bar and point
 * carries {@code data-label} and {@code data-value} attributes so pages and tests can read the data
 * back; a {@code <title>} gives the exact value on hover.
 */
public final class SvgChart {
  static final int WIDTH = 760;
  static final int HEIGHT = 300;
  static final int LEFT = 70;
  static final int RIGHT = 20;
  static final int TOP = 30;
  static final int BOTTOM = 90;
  static final int PLOT_W = WIDTH - LEFT - RIGHT;
  static final int PLOT_H = HEIGHT - TOP - BOTTOM;
  private static final int TICKS = 5;
  /** Widest bar in px, so a chart of one or two layers does not show slabs. */
  static final double MAX_BAR = 60;

  private SvgChart() {}

  /** Bars from 0; the axis reaches the largest value or the limit, whichever is higher. */
  public static String bars(String title, List<String> labels, double[] values, String unit, OptionalDouble limit) {
    check(labels, values);
    double max = 0;
    for (double v : values) {
      max = Math.max(max, v);
    }
    if (limit.isPresent()) {
      max = Math.max(max, limit.getAsDouble());
    }
    double hi = max > 0 ? max : 1;
    StringBuilder sb = open(title, unit, 0, hi);
    double band = (double) PLOT_W / Math.max(1, values.length);
    for (int i = 0; i < values.length; i++) {
      double h = values[i] / hi * PLOT_H;
      double w = Math.min(band * 0.7, MAX_BAR);
      double x = LEFT + (i + 0.5) * band - w / 2;
      boolean over = limit.isPresent() && values[i] > limit.getAsDouble();
      sb.append(String.format(Locale.ROOT,
          "<rect class=\"bar%s\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\""
              + " data-label=\"%s\" data-value=\"%s\"><title>%s: %s %s</title></rect>\n",
          over ? " over" : "", x, TOP + PLOT_H - h, w, h, over ? "#c0392b" : "#2e86c1",
          Html.esc(labels.get(i)), num(values[i]), Html.esc(labels.get(i)), num(values[i]), Html.esc(unit)));
    }
    limit.ifPresent(l -> limitLine(sb, l, 0, hi));
    categories(sb, labels, band);
    return sb.append("</svg>\n").toString();
  }

  /** Points joined by a line on a fixed axis [lo, hi]; values outside are clamped to the frame. */
  public static String line(String title, List<String> labels, double[] values, String unit,
      double lo, double hi, OptionalDouble limit) {
    check(labels, values);
    if (!(hi > lo)) {
      throw new IllegalArgumentException("axis [" + lo + ", " + hi + "] is empty in [" + title + "]");
    }
    StringBuilder sb = open(title, unit, lo, hi);
    double band = (double) PLOT_W / Math.max(1, values.length);
    StringBuilder pts = new StringBuilder();
    StringBuilder dots = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      double x = LEFT + (i + 0.5) * band;
      double y = y(values[i], lo, hi);
      pts.append(String.format(Locale.ROOT, "%.2f,%.2f ", x, y));
      boolean under = limit.isPresent() && values[i] < limit.getAsDouble();
      dots.append(String.format(Locale.ROOT,
          "<circle class=\"point%s\" cx=\"%.2f\" cy=\"%.2f\" r=\"4\" fill=\"%s\" data-label=\"%s\""
              + " data-value=\"%s\"><title>%s: %s %s</title></circle>\n",
          under ? " under" : "", x, y, under ? "#c0392b" : "#27ae60", Html.esc(labels.get(i)),
          num(values[i]), Html.esc(labels.get(i)), num(values[i]), Html.esc(unit)));
    }
    if (values.length > 0) {
      sb.append("<polyline fill=\"none\" stroke=\"#27ae60\" stroke-width=\"1.5\" points=\"")
          .append(pts.toString().trim()).append("\"/>\n");
    }
    sb.append(dots);
    limit.ifPresent(l -> limitLine(sb, l, lo, hi));
    categories(sb, labels, band);
    return sb.append("</svg>\n").toString();
  }

  /** The y coordinate of {@code v} on the axis [lo, hi], clamped to the plot frame. */
  static double y(double v, double lo, double hi) {
    double f = Math.max(0, Math.min(1, (v - lo) / (hi - lo)));
    return TOP + PLOT_H - f * PLOT_H;
  }

  private static void check(List<String> labels, double[] values) {
    if (labels.size() != values.length) {
      throw new IllegalArgumentException("[" + labels.size() + "] labels for [" + values.length + "] values");
    }
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException("value [" + values[i] + "] of [" + labels.get(i) + "] is not finite");
      }
    }
  }

  private static StringBuilder open(String title, String unit, double lo, double hi) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
            + " font-family=\"sans-serif\" font-size=\"11\" role=\"img\">\n",
        WIDTH, HEIGHT, WIDTH, HEIGHT));
    sb.append("<title>").append(Html.esc(title)).append("</title>\n");
    sb.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\" font-weight=\"bold\">%s</text>\n",
        LEFT, Html.esc(title)));
    for (int t = 0; t <= TICKS; t++) {
      double v = lo + (hi - lo) * t / TICKS;
      double y = y(v, lo, hi);
      sb.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%.2f\" x2=\"%d\" y2=\"%.2f\" stroke=\"#dddddd\"/>"
              + "<text x=\"%d\" y=\"%.2f\" text-anchor=\"end\">%s</text>\n",
          LEFT, y, LEFT + PLOT_W, y, LEFT - 6, y + 4, Html.esc(num(v))));
    }
    sb.append(String.format(Locale.ROOT,
        "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">%s</text>\n",
        TOP + PLOT_H / 2, TOP + PLOT_H / 2, Html.esc(unit)));
    sb.append(String.format(Locale.ROOT,
        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333333\"/>\n",
        LEFT, TOP + PLOT_H, LEFT + PLOT_W, TOP + PLOT_H));
    return sb;
  }

  private static void limitLine(StringBuilder sb, double limit, double lo, double hi) {
    double y = y(limit, lo, hi);
    sb.append(String.format(Locale.ROOT,
        "<line class=\"limit\" x1=\"%d\" y1=\"%.2f\" x2=\"%d\" y2=\"%.2f\" stroke=\"#c0392b\""
            + " stroke-dasharray=\"6 4\" data-value=\"%s\"/>"
            + "<text x=\"%d\" y=\"%.2f\" text-anchor=\"end\" fill=\"#c0392b\">limit %s</text>\n",
        LEFT, y, LEFT + PLOT_W, y, num(limit), LEFT + PLOT_W, y - 4, Html.esc(num(limit))));
  }

  private static void categories(StringBuilder sb, List<String> labels, double band) {
    for (int i = 0; i < labels.size(); i++) {
      double x = LEFT + (i + 0.5) * band;
      int y = TOP + PLOT_H + 12;
      sb.append(String.format(Locale.ROOT,
          "<text x=\"%.2f\" y=\"%d\" transform=\"rotate(40 %.2f %d)\">%s</text>\n",
          x, y, x, y, Html.esc(labels.get(i))));
    }
  }

  /** A compact number: integers without a fraction, others with up to 6 significant digits. */
  static String num(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.6g", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }
}
