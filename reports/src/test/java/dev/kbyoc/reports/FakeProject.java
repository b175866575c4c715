package dev.kbyoc.reports;

import dev.kbyoc.report.ModelSummary;
import dev.kbyoc.report.ModelSummary.PackageSize;
import dev.kbyoc.report.ModelSummaryFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Test fixture: a project root with two modules whose "tests" left hand-written Allure results (one
 * passed, one failed with a shrunk graph and a bundle path attached) and one model summary, in the
 * documented Allure result format, independent of allure-java.
 */
final class FakeProject {
  static final String SHRUNK = "def @main(%x: Tensor[(1, 4), float32]) {\n  nn.relu(%x)\n}\n";
  static final String BUNDLE = "/tmp/kbyoc-fuzz/seed-42/bundle";
  static final String FAIL_MESSAGE = "no-duplicate-constants oracle: kendryte_0_const_0 is duplicated in params";

  private FakeProject() {}

  static Path create(Path root) throws IOException {
    Path a = module(root, "alpha");
    Path b = module(root, "beta");
    Files.createDirectories(root.resolve("not-a-module/target/allure-results"));
    Files.writeString(a.resolve("11111111-0000-0000-0000-000000000001-result.json"), result(
        "11111111-0000-0000-0000-000000000001", "demo.AlphaTest", "alphaPasses()", "passed", "alpha", "", ""));
    Files.writeString(b.resolve("22222222-0000-0000-0000-000000000002-attachment.relay"), SHRUNK);
    Files.writeString(b.resolve("22222222-0000-0000-0000-000000000003-attachment.txt"), BUNDLE);
    Files.writeString(b.resolve("22222222-0000-0000-0000-000000000002-result.json"), result(
        "22222222-0000-0000-0000-000000000002", "demo.BetaProperty", "betaFails()", "failed", "beta",
        ",\"statusDetails\":{\"message\":\"" + FAIL_MESSAGE + "\",\"trace\":\"java.lang.AssertionError\"}",
        "{\"name\":\"shrunk graph\",\"source\":\"22222222-0000-0000-0000-000000000002-attachment.relay\","
            + "\"type\":\"text/plain\"},{\"name\":\"bundle path\",\"source\":"
            + "\"22222222-0000-0000-0000-000000000003-attachment.txt\",\"type\":\"text/plain\"}"));
    ModelSummaryFiles.write(root.resolve("beta/target/model-summaries"), new ModelSummary("tiny_cnn", null,
        List.of(new PackageSize("kendryte, default constant updater", 1000, 2100)), List.of(), List.of(),
        ModelSummary.K210_KPU_RAM));
    return root;
  }

  private static Path module(Path root, String name) throws IOException {
    Files.createDirectories(root.resolve(name));
    Files.writeString(root.resolve(name).resolve("pom.xml"), "<project/>");
    return Files.createDirectories(root.resolve(name).resolve(ResultDirs.ALLURE_RESULTS));
  }

  private static String result(String uuid, String cls, String name, String status, String module,
      String details, String attachments) {
    String method = name.replace("()", "");
    return "{\"uuid\":\"" + uuid + "\",\"historyId\":\"" + cls + "." + method + "\",\"fullName\":\"" + cls + "."
        + method + "\",\"name\":\"" + name + "\",\"status\":\"" + status + "\",\"stage\":\"finished\""
        + details + ",\"start\":1700000000000,\"stop\":1700000000042,"
        + "\"labels\":[{\"name\":\"parentSuite\",\"value\":\"" + module + "\"},{\"name\":\"suite\",\"value\":\""
        + cls + "\"}],\"steps\":[],\"links\":" + (details.isEmpty() ? "[]"
        : "[{\"name\":\"" + BUNDLE + "\",\"url\":\"file://" + BUNDLE + "\",\"type\":\"link\"}]") + ",\"parameters\":[],\"attachments\":[" + attachments + "]}";
  }
}
