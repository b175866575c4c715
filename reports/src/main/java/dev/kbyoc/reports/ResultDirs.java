package dev.kbyoc.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds what the modules' tests left behind under the project root: each module (a folder of the
 * root holding a {@code pom.xml}) writes Allure results to {@code target/allure-results} and model
 * summaries to {@code target/model-summaries}.
 */
final class ResultDirs {
  static final String ALLURE_RESULTS = "target/allure-results";
  static final String MODEL_SUMMARIES = "target/model-summaries";

  private ResultDirs() {}

  /** The modules' Allure results folders that exist, in folder-name order. */
  static List<Path> allureResults(Path root) {
    return existing(root, ALLURE_RESULTS);
  }

  /** The modules' model summary folders that exist, in folder-name order. */
  static List<Path> modelSummaries(Path root) {
    return existing(root, MODEL_SUMMARIES);
  }

  /** Number of test results ({@code *-result.json}) in one results folder. */
  static long resultCount(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith("-result.json")).count();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list [" + dir + "]", e);
    }
  }

  /**
   * Copies the files of every folder in {@code dirs} into {@code target}, emptied first. Allure
   * names result files by UUID, so files of different modules do not collide; a collision is an
   * error rather than a silent overwrite.
   */
  static Path merge(List<Path> dirs, Path target) {
    try {
      if (Files.isDirectory(target)) {
        try (Stream<Path> s = Files.list(target)) {
          for (Path f : s.toList()) {
            Files.delete(f);
          }
        }
      }
      Files.createDirectories(target);
      for (Path d : dirs) {
        try (Stream<Path> s = Files.list(d)) {
          for (Path f : s.filter(Files::isRegularFile).toList()) {
            Path to = target.resolve(f.getFileName());
            if (Files.exists(to)) {
              throw new IllegalStateException("[" + f + "] collides with a file of another module in [" + target + "]");
            }
            Files.copy(f, to);
          }
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot merge Allure results into [" + target + "]", e);
    }
  }

  private static List<Path> existing(Path root, String sub) {
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(d -> Files.isRegularFile(d.resolve("pom.xml")))
          .map(d -> d.resolve(sub))
          .filter(Files::isDirectory)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list project root [" + root + "]", e);
    }
  }
}
