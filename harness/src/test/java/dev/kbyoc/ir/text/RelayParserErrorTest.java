package dev.kbyoc.ir.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.pass.InferType;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed text fails with exactly one line {@code file:line:col: message}. */
class RelayParserErrorTest {
  private static final String V = "#[version = \"0.0.5\"]\n";
  private static final String SIG = "def @main(%x: Tensor[(1, 4), float32]) {\n";

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("def @main() { 1f }", "m.relay:1:1: expected #[version = \"0.0.5\"] at the start of the module, found `def`"),
        Arguments.of("#[version = \"0.0.4\"]\n", "m.relay:1:1: unsupported text format version \"0.0.4\", expected \"0.0.5\""),
        Arguments.of(V + SIG + "  nn.relu(%y)\n}", "m.relay:3:11: undefined variable %y"),
        Arguments.of(V + SIG + "  %0 = nn.relu(%x);\n  nn.frobnicate(%0)\n}", "m.relay:4:3: unknown operator `nn.frobnicate`"),
        Arguments.of(V + SIG + "  %0 = nn.relu(%x)\n  %0\n}", "m.relay:4:3: expected `;` after the binding of %0, found `%0`"),
        Arguments.of(V + SIG + "  add(%x, %1)\n}", "m.relay:3:11: %1 is used before it is bound"),
        Arguments.of(V + SIG + "  %0 = nn.relu(%x);\n  %0 = nn.relu(%0);\n  %0\n}", "m.relay:4:3: %0 is already bound at 3:3"),
        Arguments.of(V + SIG + "  add(%x)\n}", "m.relay:3:3: add takes 2 arguments, got 1"),
        Arguments.of(V + SIG + "  nn.relu(%x, axis=1)\n}", "m.relay:3:3: nn.relu has no attribute [axis]"),
        Arguments.of(V + SIG + "  nn.relu(%x) /* ty=Tensor[(1, 5), float32] */\n}",
            "m.relay:3:21: type annotation Tensor[(1, 5), float32] does not match the inferred type Tensor[(1, 4), float32] of nn.relu@3:3"),
        Arguments.of(V + SIG + "  %0 = nn.relu(%x) /* ty=float32 */;\n  %0\n}",
            "m.relay:3:26: type annotation float32 does not match the inferred type Tensor[(1, 4), float32] of %0"),
        Arguments.of(V + SIG + "  add(%x, meta[relay.Constant][1])\n}",
            "m.relay:3:11: meta[relay.Constant][1] has no data: the sidecar params hold 1 constant(s) (keys meta[relay.Constant][i])"),
        Arguments.of(V + SIG + "  add(%x, meta[relay.Function][0])\n}",
            "m.relay:3:11: unsupported meta reference meta[relay.Function]: only meta[relay.Constant][i] is supported"),
        Arguments.of(V + SIG + "  let %y = %x;\n  %y\n}", "m.relay:3:3: `let` is not supported by kbyoc's Relay subset"),
        Arguments.of(V + SIG + "  @nowhere(%x)\n}", "m.relay:3:3: call of undefined global function @nowhere"),
        Arguments.of(V + SIG + "  %x\n}\n" + "def @main(%y: float32) { %y }", "m.relay:5:5: function @main is defined twice (first at 2:5)"),
        Arguments.of(V + "def @main(%x: Tensor[(1, ?), float32]) { %x }", "m.relay:2:26: dynamic dimension `?` is not supported"),
        Arguments.of(V + "def @main(%x: Tensor[(1, 4), float8]) { %x }",
            "m.relay:2:30: unknown dtype `float8` (supported: float32, int8, uint8, int32, int64, bool, float16, bfloat16,"
                + " float64, int16, uint16, uint32, uint64)"),
        Arguments.of(V + SIG + "  nn.relu(%x) /* unterminated\n}", "m.relay:3:15: unterminated comment"),
        Arguments.of(V + SIG + "  annotation.compiler_begin(%x, compiler=\"kendryte)\n}", "m.relay:3:42: unterminated string literal"),
        Arguments.of(V + SIG + "  nn.relu(%x);\n}", "m.relay:3:14: expected `}` after the body's result expression, found `;` "
            + "(sequencing with `;` creates a let, which kbyoc does not support)"),
        Arguments.of(V + SIG + "  %x\n}\n#[metadata]\n{}",
            "m.relay:5:1: #[metadata] and a sidecar params file both supply meta constants; keep one"),
        Arguments.of(V + SIG + "  add(%x, 5000000000i32)\n}", "m.relay:3:11: integer `5000000000i32` does not fit in 32 bits"),
        Arguments.of(V + SIG + "  add(%x, %x) $\n}", "m.relay:3:15: unexpected character `$`"),
        Arguments.of(V + SIG + "  %x(%x)\n}", "m.relay:3:3: cannot call %x: only operators, global functions and fn literals can be called"),
        Arguments.of(V + "def @main(%x: Tensor[(3, 4), float32], %y: Tensor[(2, 4), float32]) {\n  add(%x, %y)\n}",
            "m.relay:3:3: type error at add@3:3 (add): shapes [3, 4] and [2, 4] do not broadcast"),
        Arguments.of(V + "def @main(%x: Tensor[(3, 4), float32], %y: Tensor[(2, 4), float32]) {\n  %0 = nn.relu(%y);\n"
            + "  %1 = add(%x, %0);\n  %1\n}", "m.relay:4:3: type error at %1 (add): shapes [3, 4] and [2, 4] do not broadcast"),
        Arguments.of(V + "def @main(%x: Tensor[(3, 4), float32]) {\n  @f(%x)\n}\ndef @f(%y: Tensor[(2, 4), float32]) {\n  %y\n}",
            "m.relay:3:3: @f@3:3: argument 0 of @f has type Tensor[(3, 4), float32], expected Tensor[(2, 4), float32]"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void reportsOneLineWithLocation(String text, String expected) {
    List<NDArray> meta = List.of(NDArray.zeros(DType.FLOAT32, 4));
    KbyocException e = assertThrows(KbyocException.class, () -> RelayParser.parse("m.relay", text, meta, InferType::run));
    assertEquals(expected, e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }
}
