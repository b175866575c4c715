package dev.kbyoc.report;

import java.util.List;

/** Writes RFC 4180 CSV (comma separated, CRLF-free, quotes doubled) for tables in reports. */
public final class Csv {
  private Csv() {}

  /** The header line then one line per row; every row must have the header's width. */
  public static String of(List<String> header, List<? extends List<?>> rows) {
    StringBuilder sb = new StringBuilder();
    line(sb, header);
    int i = 0;
    for (List<?> row : rows) {
      if (row.size() != header.size()) {
        throw new IllegalArgumentException(
            "row [" + i + "] has [" + row.size() + "] cells, header has [" + header.size() + "]");
      }
      line(sb, row);
      i++;
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<?> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(cell(cells.get(i)));
    }
    sb.append('\n');
  }

  /** One cell: quoted when it holds a comma, quote, CR or LF. */
  static String cell(Object v) {
    String s = v == null ? "" : v.toString();
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
