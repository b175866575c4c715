package dev.kbyoc.cli;

import dev.kbyoc.ir.KbyocException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code kbyoc} command. Exit codes: 0 success, 1 check failed or bug, 2 bad input. */
@Command(
    name = "kbyoc",
    mixinStandardHelpOptions = true,
    version = "kbyoc 0.1.0",
    description = "BYOC compiler, Kendryte K210 simulator and verification harness.",
    subcommands = {CommandLine.HelpCommand.class, DemoCommand.class, PartitionCommand.class, BuildCommand.class,
        RunCommand.class, InspectCommand.class, KmodelCommands.class, CheckCommand.class, FuzzCommand.class, ReproCommand.class,
        ReduceCommand.class, BenchCommand.class})
public final class Main implements Runnable {
  /** Exit code for a failed check or oracle (and for internal errors). */
  public static final int EXIT_FAILED = 1;
  /** Exit code for bad user input. */
  public static final int EXIT_USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (used by tests). */
  public static int execute(String... args) {
    return newCommandLine().execute(args);
  }

  /** The configured picocli command line with kbyoc's exit-code and error conventions. */
  public static CommandLine newCommandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      PrintWriter err = commandLine.getErr();
      if (ex instanceof KbyocException) {
        err.println("kbyoc: error: " + oneLine(ex.getMessage()));
        err.flush();
        return EXIT_USAGE;
      }
      err.println("kbyoc: internal error (a bug, please report it with the command line): " + ex);
      ex.printStackTrace(err);
      err.flush();
      return EXIT_FAILED;
    });
    cl.setParameterExceptionHandler((ex, args) -> {
      PrintWriter err = ex.getCommandLine().getErr();
      err.println("kbyoc: error: " + oneLine(ex.getMessage()));
      err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
      err.flush();
      return EXIT_USAGE;
    });
    return cl;
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
