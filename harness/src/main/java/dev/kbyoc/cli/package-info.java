/**
 * The {@code kbyoc} command line (picocli): one class per subcommand, wired in {@link dev.kbyoc.cli.Main}.
 * User errors ({@link dev.kbyoc.ir.KbyocException}) print one line and exit 2; oracle failures exit 1.
 *
 * <p>May depend on: everything.
 */
package dev.kbyoc.cli;
