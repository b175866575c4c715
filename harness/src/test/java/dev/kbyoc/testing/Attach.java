package dev.kbyoc.testing;

import dev.kbyoc.report.Csv;
import dev.kbyoc.report.Graphviz;
import io.qameta.allure.Allure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Adds Allure attachments and steps to the running test, so the HTML report shows what a failing
 * test was looking at: Relay text, tables (CSV, rendered as a table by Allure), SVG pictures,
 * Graphviz renderings and repro bundles.
 *
 * <p>Every method is a no-op for the test outcome: Allure logs (and ignores) attachments made when
 * no test is running. Methods return their input so they can be used inline.
 */
public final class Attach {
  /** Files of a bundle larger than this are listed but not attached. */
  static final long MAX_INLINE_FILE = 256 * 1024;

  private Attach() {}

  /** Attaches plain text (shown verbatim). */
  public static String text(String name, String content) {
    Allure.addAttachment(name, "text/plain", content, ".txt");
    return content;
  }

  /** Attaches Relay text of a module or function (shown verbatim, saved as {@code .relay}). */
  public static String relay(String name, String relayText) {
    Allure.addAttachment(name, "text/plain", relayText, ".relay");
    return relayText;
  }

  /** Attaches a table; Allure renders {@code text/csv} attachments as a table. */
  public static String table(String name, List<String> header, List<? extends List<?>> rows) {
    String csv = Csv.of(header, rows);
    Allure.addAttachment(name, "text/csv", csv, ".csv");
    return csv;
  }

  /** Attaches an SVG picture (shown as an image). */
  public static String svg(String name, String svg) {
    Allure.addAttachment(name, "image/svg+xml", svg, ".svg");
    return svg;
  }

  /** Attaches an HTML fragment or page (shown in a frame). */
  public static String html(String name, String html) {
    Allure.addAttachment(name, "text/html", html, ".html");
    return html;
  }

  /**
   * Attaches Graphviz source, and its SVG rendering when {@code dot} is installed.
   *
   * @return the SVG, or null when {@code dot} is absent or failed
   */
  public static String dot(String name, String dotSource) {
    Allure.addAttachment(name + ".dot", "text/vnd.graphviz", dotSource, ".dot");
    String svg = Graphviz.render(dotSource).orElse(null);
    if (svg != null) {
      svg(name, svg);
    }
    return svg;
  }

  /**
   * Attaches a repro bundle (or any file or folder): a link named by its absolute path (shown on
   * the test's page), its file list, and the text of each file up to {@link #MAX_INLINE_FILE} bytes.
   */
  public static Path bundle(String name, Path path) {
    Path abs = path.toAbsolutePath().normalize();
    Allure.link(abs.toString(), abs.toUri().toString());
    if (!Files.exists(abs)) {
      text(name, abs + " (missing)");
      return path;
    }
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(abs)) {
      try (Stream<Path> s = Files.walk(abs)) {
        s.filter(Files::isRegularFile).sorted().forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      files.add(abs);
    }
    StringBuilder listing = new StringBuilder(abs.toString()).append('\n');
    for (Path f : files) {
      listing.append("  ").append(abs.relativize(f).toString().isEmpty() ? f.getFileName() : abs.relativize(f))
          .append("  ").append(size(f)).append(" bytes\n");
    }
    text(name, listing.toString());
    for (Path f : files) {
      if (size(f) <= MAX_INLINE_FILE && isText(f)) {
        Allure.addAttachment(name + "/" + f.getFileName(), "text/plain", read(f), ".txt");
      }
    }
    return path;
  }

  /** Runs {@code body} as a named Allure step (a failure marks the step failed and propagates). */
  public static void step(String name, Allure.ThrowableRunnableVoid body) {
    Allure.step(name, body);
  }

  /** Runs {@code body} as a named Allure step and returns its value. */
  public static <T> T step(String name, Allure.ThrowableRunnable<T> body) {
    return Allure.step(name, body);
  }

  private static long size(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path f) {
    try {
      return Files.readString(f, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file is text when it decodes as UTF-8 and holds no NUL byte. */
  static boolean isText(Path f) {
    try {
      byte[] b = Files.readAllBytes(f);
      for (byte x : b) {
        if (x == 0) {
          return false;
        }
      }
      StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
