package dev.kbyoc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(AttachOnFailure.class)
class AttachOnFailureTest {
  @Test
  void failureIsRethrownUnchangedAfterEvaluatingSuppliers() {
    AtomicInteger calls = new AtomicInteger();
    AttachOnFailure.onFailure("graph.relay", () -> {
      calls.incrementAndGet();
      return "#[version = \"0.0.5\"]\ndef @main(%x) { nn.relu(%x) }";
    });
    AttachOnFailure.onFailure("broken", () -> {
      throw new IllegalStateException("boom");
    });
    AssertionError failure = new AssertionError("oracle failed");
    AttachOnFailure ext = new AttachOnFailure();
    Throwable thrown = assertThrows(AssertionError.class, () -> ext.handleTestExecutionException(null, failure));
    assertSame(failure, thrown);
    assertEquals(1, calls.get());
    assertEquals(List.of(), AttachOnFailure.pendingNames());
  }

  @Test
  void suppliersAreLazyAndClearedBeforeEachTest() {
    assertEquals(List.of(), AttachOnFailure.pendingNames());
    AttachOnFailure.onFailure("seed", () -> {
      throw new AssertionError("must not be evaluated on the passing path");
    });
    assertEquals(List.of("seed"), AttachOnFailure.pendingNames());
  }

  @Test
  void bundleAttachmentListsFilesAndDetectsText(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("model.relay"), "def @main() { 0f }");
    Files.write(dir.resolve("params.bin"), new byte[] {(byte) 0xB7, 0, 1});
    assertSame(dir, Attach.bundle("bundle", dir));
    assertTrue(Attach.isText(dir.resolve("model.relay")));
    assertTrue(!Attach.isText(dir.resolve("params.bin")));
  }
}
