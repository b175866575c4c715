package dev.kbyoc.ir.text;

import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import java.util.List;
import java.util.Map;

/**
 * Prints a module in TVM's Relay text format v0.0.5 exactly as TVM v0.8's
 * {@code mod.astext(show_meta_data=False)} does: same {@code %n} numbering, inlining, parameter
 * names, attribute rendering and {@code /* ty=... *}{@code /} annotations (present once types
 * are inferred). Printing then parsing gives a module structurally equal to the original.
 *
 * <p><b>Constants.</b> Scalar int32, int64, float32 and bool constants print inline
 * ({@code 3}, {@code 3i64}, {@code 0.5f}, {@code True}); every other constant prints as
 * {@code meta[relay.Constant][i]}, numbered in order of first appearance, and its data is returned
 * in {@link Printed#constants()}. <b>Sidecar convention:</b> a model {@code m.relay} stores that
 * data in {@code m.params} next to it, a TVM params binary whose keys are
 * {@code meta[relay.Constant][i]} ({@link Printed#sidecar()}); the loader reads it back. When
 * there are meta constants the text ends with TVM's "metadata section has been omitted" comment.
 *
 * <p><b>Deliberate differences from TVM v0.8</b>, each needed for an exact round trip: int64
 * scalars carry TVM v0.9's {@code i64} suffix (v0.8 printed a bare number that re-parses as
 * int32); floats that six significant digits cannot reproduce get just enough extra digits;
 * characters the tokenizer cannot read in a variable name (e.g. the dot of ONNX's
 * {@code input.1}) print as {@code _}; functions print in module order (TVM's is hash order);
 * source spans are not printed as comments.
 */
public final class RelayPrinter {
  private RelayPrinter() {}

  /**
   * Printed text and the data of its {@code meta[relay.Constant][i]} references.
   *
   * @param text the Relay text
   * @param constants entry i is the data of {@code meta[relay.Constant][i]}
   */
  public record Printed(String text, List<NDArray> constants) {
    public Printed {
      constants = List.copyOf(constants);
    }

    /** The sidecar params entries ({@code meta[relay.Constant][i]} to data). */
    public Map<String, NDArray> sidecar() {
      return MetaConstants.toParams(constants);
    }
  }

  /** Prints a module and collects its meta constants. */
  public static Printed print(IRModule module) {
    PrinterEngine engine = new PrinterEngine();
    String text = engine.module(module);
    return new Printed(text, engine.constants());
  }

  /** A type as TVM prints it, e.g. {@code Tensor[(16), float32]} (no trailing comma at rank 1). */
  public static String type(dev.kbyoc.ir.Type type) {
    return TextFormat.type(type);
  }

  /** The text alone (for messages and dumps; meta constants' data is not kept). */
  public static String text(IRModule module) {
    return print(module).text();
  }
}
