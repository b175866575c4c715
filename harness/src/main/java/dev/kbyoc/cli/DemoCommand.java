package dev.kbyoc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code kbyoc demo}: the motivating scenario end to end on a built-in CNN. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the motivating scenario end to end on a built-in CNN.")
final class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.out.println("kbyoc demo: nothing to show yet");
    return 0;
  }
}
