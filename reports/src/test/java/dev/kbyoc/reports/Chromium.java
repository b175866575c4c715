package dev.kbyoc.reports;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Test helper: headless Chromium (Debian's {@code chromium} package) loading a local file with
 * networking off, to dump the rendered DOM or take a screenshot, collecting the page's console
 * errors. Each run gets a fresh profile folder that is deleted afterwards.
 */
final class Chromium {
  private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");
  private static final long TIMEOUT_SECONDS = 180;

  private final Path executable;

  private Chromium(Path executable) {
    this.executable = executable;
  }

  /** The installed browser, if any. */
  static Optional<Chromium> find() {
    return CANDIDATES.stream().map(Path::of).filter(Files::isExecutable).findFirst().map(Chromium::new);
  }

  /** What one run produced: stdout (the DOM for --dump-dom) and the page's console errors. */
  record Run(String stdout, List<String> consoleErrors) {}

  /** The DOM after scripts ran (up to 15 s of virtual time) of {@code url}. */
  Run dumpDom(String url) throws IOException, InterruptedException {
    return run(List.of("--dump-dom", url));
  }

  /** Screenshot of {@code url} at {@code width x height} into {@code png}. */
  Run screenshot(String url, Path png, int width, int height) throws IOException, InterruptedException {
    return run(List.of("--window-size=" + width + "," + height, "--screenshot=" + png.toAbsolutePath(),
        "--hide-scrollbars", url));
  }

  private Run run(List<String> args) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("kbyoc-chromium");
    Path out = Files.createTempFile("kbyoc-chromium", ".out");
    Path err = Files.createTempFile("kbyoc-chromium", ".err");
    try {
      List<String> cmd = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox",
          "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
          "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0",
          "--virtual-time-budget=15000", "--user-data-dir=" + profile));
      cmd.addAll(args);
      Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      p.getOutputStream().close();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("chromium took over " + TIMEOUT_SECONDS + " s: " + cmd);
      }
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException("chromium exited " + p.exitValue() + ":\n" + stderr);
      }
      List<String> errors = stderr.lines()
          .filter(l -> l.contains(":CONSOLE") && (l.contains("Uncaught") || l.contains("Error")
              || l.contains("Failed to load")))
          .toList();
      return new Run(Files.readString(out, StandardCharsets.UTF_8), errors);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      try (Stream<Path> s = Files.walk(profile)) {
        s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  /** The DOM without script elements, so embedded data cannot satisfy a text check. */
  static String visibleMarkup(String dom) {
    return dom.replaceAll("(?s)<script\\b.*?</script>", "");
  }

  /** Whitespace runs collapsed to one space and trimmed, as a browser lays out text. */
  static String normalize(String s) {
    return s.replaceAll("\\s+", " ").trim();
  }

  /** The text of serialized markup without tags: entities decoded, whitespace normalized. */
  static String text(String markup) {
    String t = markup.replaceAll("<[^>]*>", "")
        .replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
        .replace("&nbsp;", " ").replace("&amp;", "&");
    return normalize(t);
  }

  /**
   * Share of pixels that differ from the image's most common colour (0 for a blank page), and the
   * number of distinct colours, as {@code [share, colours]}.
   */
  static double[] inkAndColours(Path png) throws IOException {
    BufferedImage img = ImageIO.read(png.toFile());
    Map<Integer, Integer> counts = new HashMap<>();
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        counts.merge(img.getRGB(x, y) & 0xFFFFFF, 1, Integer::sum);
      }
    }
    int top = counts.values().stream().max(Integer::compare).orElse(0);
    double total = (double) img.getWidth() * img.getHeight();
    return new double[] {(total - top) / total, counts.size()};
  }
}
