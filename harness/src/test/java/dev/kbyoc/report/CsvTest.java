package dev.kbyoc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {
  @Test
  void quotesOnlyCellsThatNeedIt() {
    String csv = Csv.of(List.of("layer", "note"),
        List.of(List.of("conv_0", "plain"), List.of("a,b", "say \"hi\""), Arrays.asList("x", null)));
    assertEquals("layer,note\nconv_0,plain\n\"a,b\",\"say \"\"hi\"\"\"\nx,\n", csv);
  }

  @Test
  void rejectsRaggedRows() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Csv.of(List.of("a", "b"), List.of(List.of(1, 2), List.of(3))));
    assertEquals("row [1] has [1] cells, header has [2]", e.getMessage());
  }
}
