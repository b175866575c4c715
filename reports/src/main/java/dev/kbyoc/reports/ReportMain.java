package dev.kbyoc.reports;

import dev.kbyoc.report.ModelSummary;
import dev.kbyoc.report.ModelSummaryFiles;
import dev.kbyoc.report.SummaryPage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Writes {@code kbyoc-report.html} (the single-file Allure report of every module's tests) and
 * {@code kbyoc-models.html} (the model summary page, linked from the report's executor widget) into
 * the output folder. Run by the reports module during {@code mvn verify}.
 *
 * <p>Usage: {@code ReportMain ROOT ALLURE_HOME OUT_DIR}.
 */
public final class ReportMain {
  /** File name of the single-file report. */
  public static final String REPORT = "kbyoc-report.html";
  /** File name of the model summary page. */
  public static final String MODELS = "kbyoc-models.html";

  private ReportMain() {}

  public static void main(String[] args) {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: ReportMain ROOT ALLURE_HOME OUT_DIR, got " + List.of(args));
    }
    Path report = generate(Path.of(args[0]).toAbsolutePath().normalize(), Path.of(args[1]), Path.of(args[2]));
    System.out.println("kbyoc report: " + report);
  }

  /** Generates both pages and returns the report's path. */
  static Path generate(Path root, Path allureHome, Path outDir) {
    List<Path> results = ResultDirs.allureResults(root);
    if (results.isEmpty()) {
      throw new IllegalStateException("no Allure results under [" + root + "]/*/" + ResultDirs.ALLURE_RESULTS
          + "; run the tests (mvn verify) first");
    }
    try {
      Files.createDirectories(outDir);
      List<ModelSummary> models = ModelSummaryFiles.readAll(ResultDirs.modelSummaries(root));
      Files.writeString(outDir.resolve(MODELS), SummaryPage.render(models), StandardCharsets.UTF_8);
      // one folder: Allure 2 reads categories.json only next to the results it applies to
      Path all = ResultDirs.merge(results, outDir.resolve("allure-results-all"));
      ReportExtras.write(all, root, MODELS);
      Path html = new AllureCli(allureHome).generateSingleFile(List.of(all), outDir.resolve("allure-report"), "kbyoc");
      Path report = outDir.resolve(REPORT);
      Files.copy(html, report, StandardCopyOption.REPLACE_EXISTING);
      for (Path d : results) {
        System.out.println("kbyoc report: " + ResultDirs.resultCount(d) + " test results from "
            + root.relativize(d));
      }
      System.out.println("kbyoc report: " + models.size() + " model summaries -> " + outDir.resolve(MODELS));
      return report;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report into [" + outDir + "]", e);
    }
  }
}
