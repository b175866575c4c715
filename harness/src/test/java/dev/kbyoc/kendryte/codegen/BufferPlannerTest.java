package dev.kbyoc.kendryte.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.kendryte.codegen.BufferPlanner.Buf;
import dev.kbyoc.kendryte.codegen.BufferPlanner.Space;
import dev.kbyoc.kendryte.codegen.BufferPlanner.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Live-range placement with addresses computed by hand. */
class BufferPlannerTest {

  /**
   * I(16) -> s0 -> A(8); s1: A -> B(8); s2: B -> C(16); s3: A, C -> D(4, rounded to 8). A is read by
   * s1 and s3, so it stays live and B, C must avoid it: I=0, A=16; B reuses I's bytes at 0; C does
   * not fit the 8 free bytes at 8 and goes to 24; D reuses 0 (B died at s2). Peak 40 bytes.
   */
  @Test
  void tensorReadTwiceStaysLive() {
    Buf in = new Buf(Space.MAIN, 16);
    Buf a = new Buf(Space.MAIN, 8);
    Buf b = new Buf(Space.MAIN, 8);
    Buf c = new Buf(Space.MAIN, 16);
    Buf d = new Buf(Space.MAIN, 4);
    List<Step> steps = List.of(new Step("s0", List.of(in), List.of(a)), new Step("s1", List.of(a), List.of(b)),
        new Step("s2", List.of(b), List.of(c)), new Step("s3", List.of(a, c), List.of(d)));
    BufferPlanner.Extent e = BufferPlanner.plan("f", steps, in, List.of(d));
    assertEquals(List.of(0L, 16L, 0L, 24L, 0L), List.of(in.address, a.address, b.address, c.address, d.address));
    assertEquals(40, e.mainBytes());
    assertEquals(8, d.size);
  }

  /**
   * KPU RAM (32768 lines): U(10000) at 0; X(12000) read from U goes to the top (20768) so that once
   * U dies the free gap is 20768 lines, where Y(20000) fits at 0. First fit (X at 10000) would
   * leave two gaps of 10000 and 10768 and Y would not fit.
   */
  @Test
  void kpuMapsPingPong() {
    Buf in = new Buf(Space.MAIN, 8);
    Buf u = new Buf(Space.KPU, 10000);
    Buf x = new Buf(Space.KPU, 12000);
    Buf y = new Buf(Space.KPU, 20000);
    Buf out = new Buf(Space.MAIN, 8);
    List<Step> steps = List.of(new Step("upload", List.of(in), List.of(u)), new Step("conv x", List.of(u), List.of(x)),
        new Step("conv y", List.of(x), List.of(y, out)));
    BufferPlanner.Extent e = BufferPlanner.plan("f", steps, in, List.of(out));
    assertEquals(0, u.address);
    assertEquals(32768 - 12000, x.address);
    assertEquals(0, y.address);
    assertEquals(32768, e.kpuLines());
  }

  @Test
  void kpuOverflowNamesTheLayerAndTheBytes() {
    Buf in = new Buf(Space.MAIN, 8);
    Buf u = new Buf(Space.KPU, 16384);
    Buf x = new Buf(Space.KPU, 8192);
    Buf y = new Buf(Space.KPU, 16384);
    Buf out = new Buf(Space.MAIN, 8);
    // u is read again by the last layer, so u, x and y would be live together: 40960 lines.
    List<Step> steps = List.of(new Step("upload", List.of(in), List.of(u)), new Step("conv x", List.of(u), List.of(x)),
        new Step("conv y", List.of(x), List.of(y)), new Step("add", List.of(u, y), List.of(out)));
    KbyocException ex = assertThrows(KbyocException.class, () -> BufferPlanner.plan("kendryte_2", steps, in,
        List.of(out)));
    assertEquals("kendryte codegen: kendryte_2: layer 2 (conv y) needs 2621440 bytes of KPU RAM (its output map"
        + " 1048576 + maps still live 1572864), more than the K210's 2097152", ex.getMessage());
    assertTrue(!ex.getMessage().contains("\n"));
  }
}
