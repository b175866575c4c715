package dev.kbyoc.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link ExprMap} and {@link ExprSet} against {@link IdentityHashMap} as the oracle, on key sets
 * that stress their hashing by creation number: one dense run, every fourth node, and several
 * runs made apart that overlap in the table.
 */
class ExprTablesTest {

  private static List<Expr> nodes(int n) {
    List<Expr> l = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      l.add(new Var("v" + i, TensorType.f32(1)));
    }
    return l;
  }

  /** Key sets: dense, strided, three separate runs interleaved, shuffled. */
  private static List<List<Expr>> keySets() {
    List<Expr> dense = nodes(5000);
    List<Expr> all = nodes(20_000);
    List<Expr> strided = new ArrayList<>();
    for (int i = 0; i < all.size(); i += 4) {
      strided.add(all.get(i));
    }
    List<Expr> runs = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      runs.addAll(nodes(3000));
      nodes(4096 * (r + 1));
    }
    List<Expr> shuffled = new ArrayList<>(runs);
    Collections.shuffle(shuffled, new Random(7));
    return List.of(dense, strided, runs, shuffled);
  }

  @Test
  void mapAgreesWithIdentityHashMap() {
    for (List<Expr> keys : keySets()) {
      for (int presize : new int[] {0, keys.size()}) {
        ExprMap<Integer> m = new ExprMap<>(presize);
        Map<Expr, Integer> oracle = new IdentityHashMap<>();
        Random rng = new Random(keys.size());
        for (int step = 0; step < 3 * keys.size(); step++) {
          Expr k = keys.get(rng.nextInt(keys.size()));
          int v = rng.nextInt(1000);
          assertEquals(oracle.put(k, v), m.put(k, v));
        }
        assertEquals(oracle.size(), m.size());
        for (Expr k : keys) {
          assertEquals(oracle.get(k), m.get(k));
          assertEquals(oracle.containsKey(k), m.containsKey(k));
        }
        for (Expr k : nodes(100)) {
          assertNull(m.get(k));
        }
      }
    }
  }

  @Test
  void setAgreesWithIdentitySet() {
    for (List<Expr> keys : keySets()) {
      ExprSet s = new ExprSet();
      Set<Expr> oracle = Collections.newSetFromMap(new IdentityHashMap<>());
      for (int i = 0; i < keys.size(); i += 2) {
        assertEquals(oracle.add(keys.get(i)), s.add(keys.get(i)));
      }
      for (int i = 0; i < keys.size(); i += 3) {
        assertEquals(oracle.add(keys.get(i)), s.add(keys.get(i)));
      }
      assertEquals(oracle.size(), s.size());
      for (Expr k : keys) {
        assertEquals(oracle.contains(k), s.contains(k));
      }
    }
  }

  @Test
  void computeIfAbsentComputesOnceAndNullValuesAreRejected() {
    ExprMap<String> m = new ExprMap<>();
    Expr k = new Var("k", TensorType.f32(1));
    int[] calls = {0};
    assertEquals("k!", m.computeIfAbsent(k, e -> {
      calls[0]++;
      return ((Var) e).name() + "!";
    }));
    assertEquals("k!", m.computeIfAbsent(k, e -> "other"));
    assertEquals(1, calls[0]);
    assertThrows(NullPointerException.class, () -> m.put(k, null));
    assertFalse(m.containsKey(new Var("k", TensorType.f32(1))));
    assertTrue(m.containsKey(k));
  }

  @Test
  void normalizeKeepsNormalAttrsAndStillReordersAndDropsDefaults() {
    List<AttrSpec> specs = List.of(AttrSpec.integer("axis", 1), AttrSpec.string("mode", "a"),
        AttrSpec.ints("pad", 0, 0));
    Attrs normal = Attrs.of("axis", 2L, "pad", List.of(1L, 2L));
    assertSame(normal, normal.normalize(specs, "op"));
    Attrs reversed = Attrs.of("pad", List.of(1L, 2L), "axis", 2L);
    Attrs r = reversed.normalize(specs, "op");
    assertEquals("{axis=2, pad=[1, 2]}", r.toString());
    Attrs withDefault = Attrs.of("axis", 1L, "mode", "b");
    assertEquals("{mode=b}", withDefault.normalize(specs, "op").toString());
    KbyocException e = assertThrows(KbyocException.class, () -> Attrs.of("bogus", 1L).normalize(specs, "op at 3:4"));
    assertEquals("op at 3:4 has no attribute [bogus]", e.getMessage());
  }
}
