package dev.kbyoc.ir.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.StructuralEqual;
import dev.kbyoc.ir.StructuralHash;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Var;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.runtime.Interpreter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every corpus file parses (annotations checked), prints, and re-parses to a structurally equal
 * module; printing is a fixed point after one round; both modules compute the same values. Files
 * under {@code golden/} are written exactly as TVM v0.8 prints them (those under {@code golden/tvm}
 * are real TVM output), so printing them must reproduce the file byte for byte.
 */
class CorpusRoundTripTest {

  static Stream<Path> corpus() {
    return Corpus.files().stream();
  }

  static Stream<Path> golden() {
    return Corpus.files().stream().filter(p -> Corpus.root().relativize(p).startsWith("golden"));
  }

  private static IRModule parse(String name, String text, List<NDArray> constants) {
    return RelayParser.parse(name, text, constants, InferType::run);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void parsesPrintsAndReparsesToAnEqualModule(Path file) {
    String text = Corpus.read(file);
    Corpus.assumeOpsExist(text);
    IRModule first = parse(file.toString(), text, Corpus.metaConstants(text));
    RelayPrinter.Printed printed = RelayPrinter.print(first);
    IRModule second = parse("printed", printed.text(), printed.constants());
    assertNull(StructuralEqual.firstDifference(first, second), () -> "round trip differs; printed:\n" + printed.text());
    assertEquals(StructuralHash.hash(first), StructuralHash.hash(second));
    assertEquals(printed.text(), RelayPrinter.print(second).text(), "printing is not a fixed point");
    assertFalse(printed.text().contains("-malformed-ir"));
    if (first.has(IRModule.MAIN) && !Corpus.root().relativize(file).startsWith("golden/tvm")) {
      Map<String, NDArray> inputs = inputs(first);
      assertEquals(new Interpreter(first).runFlat(inputs), new Interpreter(second).runFlat(inputs));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("golden")
  void printsGoldenFilesExactlyAsTvm(Path file) {
    String text = Corpus.read(file);
    Corpus.assumeOpsExist(text);
    RelayPrinter.Printed printed = RelayPrinter.print(parse(file.toString(), text, Corpus.metaConstants(text)));
    assertEquals(text, printed.text());
  }

  /** Deterministic inputs for @main's parameters. */
  static Map<String, NDArray> inputs(IRModule m) {
    Map<String, NDArray> in = new HashMap<>();
    for (Var p : m.main().params()) {
      TensorType t = (TensorType) p.typeAnnotation();
      NDArray a = NDArray.zeros(t.dtype(), t.shape());
      for (int i = 0; i < a.size(); i++) {
        a.setDouble(i, ((i * 5 + 3) % 13 - 6) * 0.75);
      }
      in.put(p.name(), a);
    }
    return in;
  }
}
