package dev.kbyoc.verify.bench;

import dev.kbyoc.verify.FuzzCampaign;
import dev.kbyoc.verify.FuzzConfig;
import dev.kbyoc.verify.GenOptions;
import dev.kbyoc.verify.Oracles;
import dev.kbyoc.verify.Toolchains;
import java.util.List;

/**
 * Fuzz throughput: a fixed-seed campaign of random graphs (default generator options, every
 * oracle, one job) after a short warm-up campaign; reports cases per second. A failing case is
 * reported too, since a throughput over failures would be misleading.
 */
public final class FuzzBench implements BenchSection {
  static final long SEED = 0xBE7C_4L;

  @Override
  public String name() {
    return "fuzz";
  }

  @Override
  public List<Figure> run(BenchOptions o) {
    FuzzCampaign campaign = new FuzzCampaign(Toolchains.standard(), List.copyOf(Oracles.all().values()));
    campaign.run(FuzzConfig.of(o.quick() ? 3 : 20, SEED + 1, GenOptions.DEFAULT), passed -> { });
    int tries = o.quick() ? 10 : 100;
    FuzzCampaign.Summary s = campaign.run(FuzzConfig.of(tries, SEED, GenOptions.DEFAULT), passed -> { });
    return List.of(
        Figure.info(name(), "cases", s.passed() + s.failed(), "cases"),
        new Figure(name(), "failed cases", s.failed(), "cases", 0, true),
        Figure.info(name(), "throughput (1 job)", s.casesPerSecond(), "cases/s"));
  }
}
