package dev.kbyoc.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Stores model summaries as JSON files ({@code <dir>/<model>.summary.json}) so the module that
 * computes them (golden-model tests) and the module that renders the report ({@code reports}) need
 * not depend on each other.
 */
public final class ModelSummaryFiles {
  /** Where a module's tests put summaries, relative to its build directory. */
  public static final String DIR = "model-summaries";
  static final String SUFFIX = ".summary.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ModelSummaryFiles() {}

  /** Writes {@code s} to {@code dir}, replacing an older summary of the same model; returns the file. */
  public static Path write(Path dir, ModelSummary s) {
    try {
      Files.createDirectories(dir);
      Path f = dir.resolve(s.model().replaceAll("[^A-Za-z0-9._-]", "_") + SUFFIX);
      JSON.writeValue(f.toFile(), s);
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write model summary of [" + s.model() + "] to [" + dir + "]", e);
    }
  }

  /** Reads one summary file. */
  public static ModelSummary read(Path file) {
    try {
      return JSON.readValue(file.toFile(), ModelSummary.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model summary [" + file + "]", e);
    }
  }

  /** Every summary in the given folders (missing folders are skipped), sorted by model name. */
  public static List<ModelSummary> readAll(List<Path> dirs) {
    List<ModelSummary> out = new ArrayList<>();
    for (Path d : dirs) {
      if (!Files.isDirectory(d)) {
        continue;
      }
      try (Stream<Path> s = Files.list(d)) {
        s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().forEach(p -> out.add(read(p)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list [" + d + "]", e);
      }
    }
    out.sort((a, b) -> a.model().compareTo(b.model()));
    return out;
  }
}
