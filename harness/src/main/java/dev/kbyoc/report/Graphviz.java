package dev.kbyoc.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Renders Graphviz source to SVG with the {@code dot} executable when it is installed. */
public final class Graphviz {
  private static final long TIMEOUT_SECONDS = 30;

  private Graphviz() {}

  /** True when {@code dot -V} runs. */
  public static boolean available() {
    try {
      Process p = new ProcessBuilder("dot", "-V").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The SVG document {@code dot -Tsvg} makes of {@code source}, or empty when {@code dot} is absent,
   * rejects the source or takes longer than 30 s.
   */
  public static Optional<String> render(String source) {
    Process p;
    try {
      p = new ProcessBuilder("dot", "-Tsvg").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      return Optional.empty();
    }
    try {
      CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p));
      try (OutputStream in = p.getOutputStream()) {
        in.write(source.getBytes(StandardCharsets.UTF_8));
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      byte[] svg = out.join();
      return p.exitValue() == 0 ? Optional.of(new String(svg, StandardCharsets.UTF_8)) : Optional.empty();
    } catch (IOException e) {
      p.destroyForcibly();
      return Optional.empty();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static byte[] readAll(Process p) {
    try {
      return p.getInputStream().readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }

  /** The SVG without its XML prolog and DOCTYPE, for embedding in an HTML page. */
  public static String inlineable(String svg) {
    int i = svg.indexOf("<svg");
    return i < 0 ? svg : svg.substring(i);
  }
}
