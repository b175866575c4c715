package dev.kbyoc.ir.text;

import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.GlobalVar;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.Limits;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Op;
import dev.kbyoc.ir.Span;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.Type;
import dev.kbyoc.ir.Var;
import dev.kbyoc.ir.text.Token.Kind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recursive-descent parser for one Relay text module (the grammar of TVM's src/parser/parser.cc
 * restricted to kbyoc's IR: no let, if, match, refs or ADTs). Graph bindings {@code %n = e;} are
 * parsed in a loop, so a 100k-line body costs no stack; expressions nested inside one another
 * recurse, bounded by {@link Limits#nestingDepth()}. Every node gets a {@link Span} at its first token, and
 * the outermost node of a binding's right-hand side also records the binding name.
 */
final class ModuleParser {
  private static final Set<String> UNSUPPORTED = Set.of("let", "if", "else", "match", "ref", "ref_read",
      "ref_write", "type", "extern");

  private final TokenStream in;
  private final String file;
  private final List<NDArray> meta;
  private final Map<Long, Constant> metaNodes = new HashMap<>();
  private final List<ParsedModule.Annotation> annotations = new ArrayList<>();
  private final List<Token> globalRefs = new ArrayList<>();
  private final ArrayDeque<Scope> scopes = new ArrayDeque<>();
  private final Map<String, String> bindingAt = new HashMap<>();
  private int depth;

  /** Variables and graph bindings visible in one function body. */
  private static final class Scope {
    final Map<String, Var> vars = new HashMap<>();
    final Map<Long, Expr> graph = new HashMap<>();
    final Map<Long, Token> graphAt = new HashMap<>();
  }

  ModuleParser(String file, String text, List<NDArray> meta) {
    this.file = file;
    this.in = new TokenStream(file, new Lexer(file, text));
    this.meta = meta;
  }

  ParsedModule parseModule() {
    Token v = in.peek();
    if (v.kind() != Kind.VERSION) {
      throw in.error(v, "expected #[version = \"0.0.5\"] at the start of the module, found " + v.show());
    }
    in.next();
    if (!v.text().equals("\"0.0.5\"")) {
      throw in.error(v, "unsupported text format version " + v.text() + ", expected \"0.0.5\"");
    }
    LinkedHashMap<String, Function> functions = new LinkedHashMap<>();
    Map<String, Token> defined = new HashMap<>();
    while (in.at(Kind.IDENT) && in.peek().text().equals("def")) {
      in.next();
      Token g = in.expect(Kind.GLOBAL, "a global name such as @main after `def`");
      Token first = defined.putIfAbsent(g.text(), g);
      if (first != null) {
        throw in.error(g, "function @" + g.text() + " is defined twice (first at " + first.line() + ":" + first.col() + ")");
      }
      scopes.clear();
      functions.put(g.text(), function(Span.at(file, g.line(), g.col())));
    }
    Token t = in.peek();
    if (t.kind() == Kind.METADATA) {
      throw in.error(t, "a #[metadata] section is not supported: kbyoc reads constant data from the sidecar "
          + "params file (keys meta[relay.Constant][i])");
    }
    if (t.kind() != Kind.EOF) {
      throw unexpected(t, "`def` or end of file");
    }
    for (Token ref : globalRefs) {
      if (!defined.containsKey(ref.text())) {
        throw in.error(ref, "call of undefined global function @" + ref.text());
      }
    }
    Map<String, String> unique = new HashMap<>();
    bindingAt.forEach((k, at) -> {
      if (at != null) {
        unique.put(k, at);
      }
    });
    return new ParsedModule(file, IRModule.of(functions), annotations, unique);
  }

  private KbyocException unexpected(Token t, String expected) {
    if (t.kind() == Kind.IDENT && UNSUPPORTED.contains(t.text())) {
      return in.error(t, "`" + t.text() + "` is not supported by kbyoc's Relay subset");
    }
    return in.error(t, "expected " + expected + ", found " + t.show());
  }

  /** Parses {@code (params, attrs) -> ret { body }} after {@code def @name} or {@code fn}. */
  private Function function(Span span) {
    Scope scope = new Scope();
    scopes.push(scope);
    in.expect(Kind.LPAREN, "`(` opening the parameter list");
    List<Var> params = new ArrayList<>();
    Map<String, Object> attrs = Map.of();
    while (!in.accept(Kind.RPAREN)) {
      if (AttrParser.atAttribute(in)) {
        attrs = AttrParser.parse(in, Kind.RPAREN);
        in.expect(Kind.RPAREN, "`)` closing the parameter list");
        break;
      }
      Token p = in.expect(Kind.LOCAL, "a parameter such as %x");
      String name = dottedName(p.text());
      Type type = in.accept(Kind.COLON) ? TypeParser.parse(in) : null;
      if (scope.vars.containsKey(name)) {
        throw in.error(p, "parameter %" + name + " is declared twice");
      }
      Var var = new Var(name, type, Span.at(file, p.line(), p.col()));
      scope.vars.put(name, var);
      params.add(var);
      if (!in.at(Kind.RPAREN)) {
        in.expect(Kind.COMMA, "`,` or `)` in the parameter list");
      }
    }
    Type ret = null;
    if (in.accept(Kind.MINUS)) {
      in.expect(Kind.RANGLE, "`->` before the return type");
      ret = TypeParser.parse(in);
    }
    in.expect(Kind.LCURLY, "`{` opening the function body");
    Expr body = body(scope);
    in.expect(Kind.RCURLY, "`}` closing the function body");
    scopes.pop();
    return new Function(params, body, ret, Attrs.fromMap(attrs), span);
  }

  /** Parses {@code free_var} declarations and {@code %n = e;} bindings, then the result expression. */
  private Expr body(Scope scope) {
    while (true) {
      Token t = in.peek();
      if (t.kind() == Kind.IDENT && t.text().equals("free_var")) {
        in.next();
        Token v = in.expect(Kind.LOCAL, "a variable after `free_var`");
        String name = dottedName(v.text());
        Type type = in.accept(Kind.COLON) ? TypeParser.parse(in) : null;
        scope.vars.put(name, new Var(name, type, Span.at(file, v.line(), v.col())));
        in.expect(Kind.SEMICOLON, "`;` after the free variable");
        continue;
      }
      if (t.kind() == Kind.GRAPH && in.peek(2).kind() == Kind.EQUAL) {
        in.next();
        in.next();
        for (Scope s : scopes) {
          Token prev = s.graphAt.get(t.intValue());
          if (prev != null) {
            throw in.error(t, "%" + t.intValue() + " is already bound at " + prev.line() + ":" + prev.col());
          }
        }
        Expr value = expr("%" + t.intValue());
        in.expect(Kind.SEMICOLON, "`;` after the binding of %" + t.intValue());
        String name = "%" + t.intValue();
        bindingAt.put(name, bindingAt.containsKey(name) ? null : t.line() + ":" + t.col());
        scope.graph.put(t.intValue(), value);
        scope.graphAt.put(t.intValue(), t);
        continue;
      }
      if (t.kind() == Kind.RCURLY) {
        throw in.error(t, "a function body must end with an expression");
      }
      Expr result = expr(null);
      if (in.at(Kind.SEMICOLON)) {
        throw in.error(in.peek(), "expected `}` after the body's result expression, found `;` "
            + "(sequencing with `;` creates a let, which kbyoc does not support)");
      }
      return result;
    }
  }

  private Var lookup(String name) {
    for (Scope s : scopes) {
      Var v = s.vars.get(name);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  /** A declared name with TVM's unsplit ONNX suffixes: {@code %input.1} is the name "input.1". */
  private String dottedName(String head) {
    StringBuilder name = new StringBuilder(head);
    while (in.at(Kind.PERIOD) && in.peek(2).kind() == Kind.INTEGER) {
      in.next();
      name.append('.').append(in.next().text());
    }
    return name.toString();
  }

  private Span span(Token t, String binding) {
    return new Span(file, t.line(), t.col(), binding);
  }

  private boolean postfixFollows() {
    return in.at(Kind.LPAREN) || in.at(Kind.PERIOD);
  }

  /** Parses one expression; {@code binding} ("%3") names its outermost node. */
  private Expr expr(String binding) {
    if (++depth > Limits.nestingDepth()) {
      throw in.error(in.peek(), "expression nested deeper than " + Limits.nestingDepth() + " levels (-D"
          + Limits.NESTING_DEPTH + ")");
    }
    Token start = in.peek();
    Expr e = atom(binding);
    annotate(e);
    while (postfixFollows()) {
      if (in.at(Kind.LPAREN)) {
        e = call(e, start, binding);
      } else {
        in.next();
        Token idx = in.expect(Kind.INTEGER, "a tuple index after `.`");
        if (idx.intValue() < 0 || idx.intValue() > Integer.MAX_VALUE) {
          throw in.error(idx, "invalid tuple index " + idx.intValue());
        }
        e = new TupleGetItem(e, (int) idx.intValue(), span(start, postfixFollows() ? null : binding));
      }
      annotate(e);
    }
    if (e instanceof Op op) {
      throw in.error(start, "operator `" + op.name() + "` must be called");
    }
    depth--;
    return e;
  }

  private void annotate(Expr e) {
    for (Token a = in.takeAnnotation(); a != null; a = in.takeAnnotation()) {
      Type type = TypeParser.parseAnnotation(file, a);
      if (!(e instanceof Op) && !(e instanceof GlobalVar)) {
        annotations.add(new ParsedModule.Annotation(e, type, a.line(), a.col()));
      }
    }
  }

  private Expr atom(String binding) {
    Token t = in.peek();
    switch (t.kind()) {
      case INTEGER, FLOAT, BOOLEAN:
        in.next();
        return new Constant(scalar(t), span(t, binding));
      case LOCAL: {
        in.next();
        String name = t.text();
        Var v = lookup(name);
        // TVM prints ONNX names such as %input.1 unchanged; a declared dotted name wins over a projection
        while (in.at(Kind.PERIOD) && in.peek(2).kind() == Kind.INTEGER && lookup(name + "." + in.peek(2).text()) != null) {
          in.next();
          name += "." + in.next().text();
          v = lookup(name);
        }
        if (v == null) {
          throw in.error(t, "undefined variable %" + name);
        }
        return v;
      }
      case GRAPH:
        in.next();
        for (Scope s : scopes) {
          if (s.graph.containsKey(t.intValue())) {
            return s.graph.get(t.intValue());
          }
        }
        throw in.error(t, "%" + t.intValue() + " is used before it is bound");
      case GLOBAL:
        in.next();
        globalRefs.add(t);
        return new GlobalVar(t.text(), span(t, null));
      case META:
        in.next();
        return metaConstant(t);
      case LPAREN:
        return tuple(binding);
      case IDENT:
        if (t.text().equals("fn")) {
          in.next();
          return function(span(t, binding));
        }
        if (UNSUPPORTED.contains(t.text()) || t.text().equals("free_var")) {
          throw unexpected(t, "an expression");
        }
        return operator();
      default:
        throw unexpected(t, "an expression");
    }
  }

  private Expr operator() {
    Token t = in.next();
    StringBuilder name = new StringBuilder(t.text());
    while (in.at(Kind.PERIOD) && in.peek(2).kind() == Kind.IDENT) {
      in.next();
      name.append('.').append(in.next().text());
    }
    if (!Op.exists(name.toString())) {
      throw in.error(t, "unknown operator `" + name + "`");
    }
    return Op.get(name.toString());
  }

  private Expr tuple(String binding) {
    Token open = in.next();
    List<Expr> fields = new ArrayList<>();
    boolean comma = false;
    while (!in.accept(Kind.RPAREN)) {
      fields.add(expr(null));
      if (!in.at(Kind.RPAREN)) {
        in.expect(Kind.COMMA, "`,` or `)` in a tuple");
        comma = true;
      }
    }
    if (fields.size() == 1 && !comma) {
      return fields.get(0);
    }
    return new Tuple(fields, span(open, postfixFollows() ? null : binding));
  }

  private Expr call(Expr callee, Token start, String binding) {
    in.expect(Kind.LPAREN, "`(`");
    List<Expr> args = new ArrayList<>();
    Map<String, Object> attrs = Map.of();
    while (!in.accept(Kind.RPAREN)) {
      if (AttrParser.atAttribute(in)) {
        attrs = AttrParser.parse(in, Kind.RPAREN);
        in.expect(Kind.RPAREN, "`)` closing the call");
        break;
      }
      args.add(expr(null));
      if (!in.at(Kind.RPAREN)) {
        in.expect(Kind.COMMA, "`,` or `)` in the argument list");
      }
    }
    if (!(callee instanceof Op || callee instanceof GlobalVar || callee instanceof Function)) {
      throw in.error(start, "cannot call " + callee.describe() + ": only operators, global functions and fn "
          + "literals can be called");
    }
    if (callee instanceof Op op && op.schema().numInputs() >= 0 && op.schema().numInputs() != args.size()) {
      throw in.error(start, op.name() + " takes " + op.schema().numInputs() + " arguments, got " + args.size());
    }
    Span span = span(start, postfixFollows() ? null : binding);
    try {
      return new Call(callee, args, Attrs.fromMap(attrs), span);
    } catch (KbyocException e) {
      String msg = e.getMessage().replace(" at " + span.lineCol(), "");
      throw in.error(start, msg);
    }
  }

  private Constant metaConstant(Token t) {
    if (!t.text().equals("relay.Constant")) {
      throw in.error(t, "unsupported meta reference meta[" + t.text() + "]: only meta[relay.Constant][i] is supported");
    }
    if (t.intValue() >= meta.size()) {
      throw in.error(t, "meta[relay.Constant][" + t.intValue() + "] has no data: the sidecar params hold "
          + meta.size() + " constant(s) (keys meta[relay.Constant][i])");
    }
    return metaNodes.computeIfAbsent(t.intValue(),
        i -> new Constant(meta.get(Math.toIntExact(i)), span(t, null)));
  }

  private NDArray scalar(Token t) {
    if (t.kind() == Kind.BOOLEAN) {
      return NDArray.ofBytes(DType.BOOL, new byte[] {(byte) t.intValue()});
    }
    if (t.kind() == Kind.FLOAT) {
      if (t.width() != 32) {
        throw in.error(t, "float" + t.width() + " literals are not supported (only float32)");
      }
      return NDArray.scalar((float) t.floatValue());
    }
    return switch (t.width()) {
      case 8 -> NDArray.ofBytes(DType.INT8, new byte[] {(byte) t.intValue()});
      case 64 -> NDArray.ofInt64(new long[] {t.intValue()});
      default -> NDArray.ofInt32(new int[] {(int) t.intValue()});
    };
  }
}
