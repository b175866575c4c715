package dev.kbyoc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSummaryFilesTest {
  @Test
  void roundTripsAndSortsByModel(@TempDir Path dir) throws Exception {
    ModelSummary a = SummaryPageTest.tinyCnn();
    ModelSummary b = new ModelSummary("a/first", null, List.of(), List.of(), List.of(), 64, List.of("note"));
    Path fa = ModelSummaryFiles.write(dir, a);
    Path fb = ModelSummaryFiles.write(dir, b);
    assertEquals("tiny_cnn.summary.json", fa.getFileName().toString());
    assertEquals("a_first.summary.json", fb.getFileName().toString());
    assertTrue(Files.readString(fa).contains("\"uniqueConstantBytes\" : 10000"));
    List<ModelSummary> all = ModelSummaryFiles.readAll(List.of(dir, dir.resolve("missing")));
    assertEquals(List.of(b, a), all);
  }
}
