package dev.kbyoc.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * JUnit extension that attaches context to the Allure report only when a test fails: a test
 * registers what it is working on (the Relay text of the graph under test, a seed, a bundle path)
 * with {@link #onFailure}, and when the test throws, each registered supplier is evaluated and
 * attached as text before the failure propagates unchanged.
 *
 * <p>Use with {@code @ExtendWith(AttachOnFailure.class)}. Suppliers are cleared before each test;
 * they are evaluated lazily, so registering costs nothing on the passing path.
 */
public final class AttachOnFailure implements BeforeEachCallback, TestExecutionExceptionHandler {
  private static final ThreadLocal<List<Entry>> PENDING = ThreadLocal.withInitial(ArrayList::new);

  private record Entry(String name, Supplier<String> content) {}

  /** Registers {@code content} to be attached under {@code name} if the current test fails. */
  public static void onFailure(String name, Supplier<String> content) {
    PENDING.get().add(new Entry(name, content));
  }

  /** Names registered so far in the current test (for tests of this extension). */
  static List<String> pendingNames() {
    return PENDING.get().stream().map(Entry::name).toList();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    PENDING.get().clear();
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    List<Entry> entries = List.copyOf(PENDING.get());
    PENDING.get().clear();
    for (Entry e : entries) {
      String text;
      try {
        text = e.content().get();
      } catch (RuntimeException | StackOverflowError ex) {
        text = "(could not produce '" + e.name() + "': " + ex + ")";
      }
      if (e.name().endsWith(".relay")) {
        Attach.relay(e.name(), text);
      } else {
        Attach.text(e.name(), text);
      }
    }
    throw failure;
  }
}
