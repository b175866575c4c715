package dev.kbyoc.testing;

import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.text.MetaConstants;
import dev.kbyoc.ir.text.RelayPrinter;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.runtime.ParamsFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model written as the CLI reads it: {@code DIR/STEM.relay} (Relay text) and its sidecar
 * {@code DIR/STEM.params} holding the {@code meta[relay.Constant]} data, for tests that run
 * {@code kbyoc build/run/check} on a file.
 */
public record RelayFiles(Path relay, Path params) {
  /** Types {@code module}, prints it and writes both files. */
  public static RelayFiles write(IRModule module, Path dir, String stem) throws IOException {
    RelayPrinter.Printed printed = RelayPrinter.print(InferType.run(module));
    Path relay = dir.resolve(stem + ".relay");
    Files.writeString(relay, printed.text());
    Path params = dir.resolve(stem + ".params");
    ParamsFormat.write(params, MetaConstants.toParams(printed.constants()));
    return new RelayFiles(relay, params);
  }
}
