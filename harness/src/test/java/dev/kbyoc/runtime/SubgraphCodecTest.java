package dev.kbyoc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.build.SampleModels;
import dev.kbyoc.ir.Attrs;
import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.Function;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.StructuralEqual;
import dev.kbyoc.ir.TensorType;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.ir.TupleGetItem;
import dev.kbyoc.ir.Var;
import dev.kbyoc.pass.InferType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The module payload codec: exact layout of a tiny function, round trips, and corruption. */
class SubgraphCodecTest {

  static Function sample() {
    Var a = new Var("a", TensorType.f32(2));
    Constant c = new Constant(NDArray.of(new float[] {1.5f, -2f}, 2));
    Call add = Call.op("add", a, c);
    Function f = new Function(List.of(a), new TupleGetItem(new Tuple(List.of(add, Call.op("nn.relu", add))), 1));
    InferType.inferExpr(f);
    return f;
  }

  @Test
  void tinyFunctionHasTheDocumentedLayout() {
    Var a = new Var("a", TensorType.f32(1));
    Function f = new Function(List.of(a), Call.op("nn.relu", a));
    InferType.inferExpr(f);
    byte[] got = SubgraphCodec.encode(f, true, "s");
    byte[] want = concat(ascii("KBSG"), u32(1), u32(1), str("a"), str("float32"), u32(1), u32(1),
        u32(2), new byte[] {0}, u32(0), new byte[] {3}, str("nn.relu"), u32(0), u32(1), u32(0), u32(1));
    assertArrayEquals(want, got);
  }

  @Test
  void embeddedAndReferencedConstantsRoundTrip() {
    Function f = sample();
    Subgraph emb = SubgraphCodec.decode(SubgraphCodec.encode(f, true, "k_0"), "t");
    assertTrue(StructuralEqual.equal(f, emb.function()));
    assertEquals(List.of(), emb.constNames());
    Subgraph ref = SubgraphCodec.decode(SubgraphCodec.encode(f, false, "j_0"), "t");
    assertEquals(List.of("j_0_const_0"), ref.constNames());
    NDArray in = NDArray.of(new float[] {-3f, 4f}, 2);
    List<NDArray> want = new SubgraphExecutor(emb, "e").run(List.of(in), Map.of());
    assertEquals(List.of(NDArray.of(new float[] {0f, 2f}, 2)), want);
    assertEquals(want, new SubgraphExecutor(ref, "r").run(List.of(in), Map.of("j_0_const_0", NDArray.of(new float[] {1.5f, -2f}, 2))));
  }

  @Test
  void attrsOfEveryKindRoundTrip() {
    Random rnd = new Random(3);
    Var x = new Var("x", TensorType.f32(1, 2, 5, 5));
    Call conv = Call.op("nn.conv2d", List.of(x, new Constant(SampleModels.random(rnd, 4, 2, 3, 3))),
        Attrs.of("padding", new int[] {1, 1}, "kernel_layout", "OIHW", "channels", 4L));
    Call pad = Call.op("nn.pad", List.of(conv, new Constant(NDArray.scalar(0.5f))), Attrs.of("pad_width", List.of(List.of(0L, 0L), List.of(0L, 0L), List.of(1L, 1L), List.of(2L, 0L))));
    Function f = new Function(List.of(x), pad);
    InferType.inferExpr(f);
    Subgraph d = SubgraphCodec.decode(SubgraphCodec.encode(f, true, "k"), "t");
    assertTrue(StructuralEqual.equal(f, d.function()));
  }

  @Test
  void everyTruncationIsAOneLineError() {
    byte[] b = SubgraphCodec.encode(sample(), true, "k");
    for (int n = 0; n < b.length; n++) {
      byte[] cut = Arrays.copyOf(b, n);
      KbyocException e = assertThrows(KbyocException.class, () -> SubgraphCodec.decode(cut, "blob"));
      assertTrue(e.getMessage().startsWith("blob: "), e.getMessage());
    }
  }

  @Test
  void absurdCountsAndBadMagicAreRejected() {
    byte[] b = SubgraphCodec.encode(sample(), true, "k");
    byte[] huge = b.clone();
    huge[8] = (byte) 0xFF;
    huge[9] = (byte) 0xFF;
    huge[10] = (byte) 0xFF;
    huge[11] = (byte) 0x7F;
    assertEquals("blob: param count 2147483647 exceeds the limit 16777216 at offset 12",
        assertThrows(KbyocException.class, () -> SubgraphCodec.decode(huge, "blob")).getMessage());
    byte[] magic = b.clone();
    magic[0] = 'X';
    assertTrue(assertThrows(KbyocException.class, () -> SubgraphCodec.decode(magic, "blob")).getMessage().contains("bad magic"));
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] u32(int v) {
    return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
  }

  static byte[] str(String s) {
    return concat(u32(s.length()), ascii(s));
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
