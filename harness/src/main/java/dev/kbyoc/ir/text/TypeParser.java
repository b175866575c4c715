package dev.kbyoc.ir.text;

import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.Limits;
import dev.kbyoc.ir.FuncType;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.TupleType;
import dev.kbyoc.ir.Type;
import dev.kbyoc.ir.text.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses Relay types: {@code Tensor[(1, 3), float32]}, scalar dtypes ({@code float32}), tuple
 * types {@code (T1, T2)} / {@code (T,)} and function types {@code fn (T1) -> T2}.
 */
final class TypeParser {
  private TypeParser() {}

  static Type parse(TokenStream in) {
    return parse(in, 0);
  }

  private static Type parse(TokenStream in, int depth) {
    Token t = in.peek();
    if (depth > Limits.nestingDepth()) {
      throw in.error(t, "type nested deeper than " + Limits.nestingDepth() + " levels (-D" + Limits.NESTING_DEPTH + ")");
    }
    if (t.kind() == Kind.LPAREN) {
      in.next();
      List<Type> fields = new ArrayList<>();
      while (!in.accept(Kind.RPAREN)) {
        fields.add(parse(in, depth + 1));
        if (!in.at(Kind.RPAREN)) {
          in.expect(Kind.COMMA, "`,` or `)` in a tuple type");
        }
      }
      return new TupleType(fields);
    }
    if (t.kind() != Kind.IDENT) {
      throw in.error(t, "expected a type, found " + t.show());
    }
    in.next();
    if (t.text().equals("fn")) {
      in.expect(Kind.LPAREN, "`(` after `fn` in a function type");
      List<Type> params = new ArrayList<>();
      while (!in.accept(Kind.RPAREN)) {
        params.add(parse(in, depth + 1));
        if (!in.at(Kind.RPAREN)) {
          in.expect(Kind.COMMA, "`,` or `)` in a function type");
        }
      }
      in.expect(Kind.MINUS, "`->` in a function type");
      in.expect(Kind.RANGLE, "`->` in a function type");
      return new FuncType(params, parse(in, depth + 1));
    }
    if (t.text().equals("Tensor")) {
      in.expect(Kind.LSQUARE, "`[` after `Tensor`");
      int[] shape = shape(in);
      in.expect(Kind.COMMA, "`,` between shape and dtype");
      DType dtype = dtype(in, in.expect(Kind.IDENT, "a dtype"));
      in.expect(Kind.RSQUARE, "`]` closing the tensor type");
      return new TensorType(shape, dtype);
    }
    return new TensorType(new int[0], dtype(in, t));
  }

  private static int[] shape(TokenStream in) {
    in.expect(Kind.LPAREN, "`(` opening a shape");
    List<Integer> dims = new ArrayList<>();
    while (!in.accept(Kind.RPAREN)) {
      Token d = in.peek();
      if (d.kind() == Kind.QUESTION) {
        throw in.error(d, "dynamic dimension `?` is not supported");
      }
      if (d.kind() != Kind.INTEGER || d.intValue() < 0 || d.intValue() > Integer.MAX_VALUE) {
        throw in.error(d, "expected a non-negative dimension, found " + d.show());
      }
      in.next();
      dims.add((int) d.intValue());
      if (!in.at(Kind.RPAREN)) {
        in.expect(Kind.COMMA, "`,` or `)` in a shape");
      }
    }
    return dims.stream().mapToInt(Integer::intValue).toArray();
  }

  private static DType dtype(TokenStream in, Token t) {
    try {
      return DType.parse(t.text());
    } catch (KbyocException e) {
      StringBuilder names = new StringBuilder();
      for (DType d : DType.values()) {
        names.append(names.length() == 0 ? "" : ", ").append(d.relayName());
      }
      throw in.error(t, "unknown dtype `" + t.text() + "` (supported: " + names + ")");
    }
  }

  /** Parses the type inside a {@code /* ty=... *}{@code /} annotation token. */
  static Type parseAnnotation(String file, Token annotation) {
    Lexer lexer = new Lexer(file, annotation.text(), annotation.line(), annotation.col());
    TokenStream in = new TokenStream(file, lexer);
    Type type = parse(in);
    if (!in.at(Kind.EOF)) {
      throw in.error(in.peek(), "unexpected " + in.peek().show() + " after the annotated type");
    }
    return type;
  }
}
