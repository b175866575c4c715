package dev.kbyoc.ir.text;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Op;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The hand-written Relay corpus under src/test/resources/relay and helpers to load it. */
final class Corpus {
  private static final Pattern CALLEE = Pattern.compile("(?<![%@\\w.])([A-Za-z_][\\w]*(?:\\.[A-Za-z_][\\w]*)*)\\(");
  private static final Pattern META = Pattern.compile(
      "meta\\[relay\\.Constant\\]\\[(\\d+)\\] /\\* ty=(?:Tensor\\[\\(([0-9, ]*)\\), (\\w+)\\]|(\\w+)) \\*/");
  private static final Set<String> KEYWORDS = Set.of("fn");

  private Corpus() {}

  static Path root() {
    try {
      return Path.of(Corpus.class.getResource("/relay").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every .relay file of the corpus, sorted. */
  static List<Path> files() {
    try (Stream<Path> s = Files.walk(root())) {
      return s.filter(p -> p.toString().endsWith(".relay")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Skips the calling test unless every op the text calls is registered (ops land in stages). */
  static void assumeOpsExist(String text) {
    Matcher m = CALLEE.matcher(text.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", ""));
    while (m.find()) {
      String name = m.group(1);
      if (!KEYWORDS.contains(name)) {
        assumeTrue(Op.exists(name), "operator " + name + " is not registered yet");
      }
    }
  }

  /**
   * Data for each {@code meta[relay.Constant][i] /* ty=T *}{@code /} in the text: shape and dtype
   * from the annotation, values a fixed function of the index and position.
   */
  static List<NDArray> metaConstants(String text) {
    TreeMap<Integer, NDArray> byIndex = new TreeMap<>();
    Matcher m = META.matcher(text);
    while (m.find()) {
      int index = Integer.parseInt(m.group(1));
      int[] shape;
      DType dtype;
      if (m.group(2) != null) {
        String dims = m.group(2).strip();
        shape = dims.isEmpty() ? new int[0]
            : Stream.of(dims.split(",")).map(String::strip).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        dtype = DType.parse(m.group(3));
      } else {
        shape = new int[0];
        dtype = DType.parse(m.group(4));
      }
      NDArray a = NDArray.zeros(dtype, shape);
      for (int i = 0; i < a.size(); i++) {
        a.setDouble(i, ((i * 7 + index * 3) % 11 - 5) / 8.0);
      }
      byIndex.putIfAbsent(index, a);
    }
    return new ArrayList<>(byIndex.values());
  }
}
