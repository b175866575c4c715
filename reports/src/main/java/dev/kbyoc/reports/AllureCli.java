package dev.kbyoc.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Allure commandline distribution (the {@code io.qameta.allure:allure-commandline} zip that
 * Maven resolves and unpacks; nothing is downloaded at run time) to generate a single-file report.
 *
 * @param home the unpacked distribution, holding {@code bin/allure}
 */
record AllureCli(Path home) {
  static final long TIMEOUT_MINUTES = 5;

  /** The launcher script. */
  Path launcher() {
    return home.resolve("bin").resolve("allure");
  }

  /**
   * Generates {@code outDir/index.html}, one self-contained HTML file, from {@code resultDirs}.
   *
   * @return the HTML file
   * @throws IllegalStateException when the commandline is missing, fails or writes no report; the
   *     message holds its output
   */
  Path generateSingleFile(List<Path> resultDirs, Path outDir, String reportName) {
    if (!Files.isRegularFile(launcher())) {
      throw new IllegalStateException("Allure commandline not found at [" + launcher()
          + "]; it is unpacked by the reports module's maven-dependency-plugin");
    }
    List<String> cmd = new ArrayList<>(List.of("sh", launcher().toString(), "generate", "--single-file", "--clean",
        "--name", reportName, "-o", outDir.toString()));
    resultDirs.forEach(d -> cmd.add(d.toString()));
    String output;
    int exit;
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("allure generate took over " + TIMEOUT_MINUTES + " minutes");
      }
      exit = p.exitValue();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run [" + launcher() + "]", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running allure generate", e);
    }
    Path html = outDir.resolve("index.html");
    if (exit != 0 || !Files.isRegularFile(html)) {
      throw new IllegalStateException("allure generate exited " + exit + " without [" + html + "]:\n" + output);
    }
    return html;
  }
}
