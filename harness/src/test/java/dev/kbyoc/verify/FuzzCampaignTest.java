package dev.kbyoc.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Expr;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.PostOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FuzzCampaignTest {
  /** A toolchain that never partitions: enough for oracles that only look at the case. */
  static final Toolchain IDENTITY = new Toolchain() {
    @Override
    public IRModule bind(GraphCase c) {
      return c.module();
    }

    @Override
    public IRModule merge(IRModule bound, String target) {
      return bound;
    }

    @Override
    public IRModule partition(IRModule merged) {
      return merged;
    }

    @Override
    public dev.kbyoc.build.BuildResult build(IRModule m) {
      throw new UnsupportedOperationException("this test toolchain does not build");
    }

    @Override
    public SupportRule support() {
      return (t, c) -> false;
    }
  };

  /** Fails on graphs with three or more relus: common enough to fail often, reducible to 3 ops. */
  static final Oracle MANY_RELUS = new Oracle() {
    @Override
    public String name() {
      return "many-relus";
    }

    @Override
    public Verdict check(CaseRun run) {
      int n = 0;
      for (Expr e : PostOrder.of(run.testCase().main())) {
        if (e instanceof Call c && c.isOp("nn.relu")) {
          n++;
        }
      }
      return n >= 3 ? Verdict.fail(name(), "three-relus", n + " relus") : Verdict.pass();
    }
  };

  private static final GenOptions OPTS = GenOptions.DEFAULT.withMaxNodes(12).withOnlyOps(Set.of("add", "nn.relu", "tanh"));

  private static Set<Long> failingSeeds(FuzzCampaign.Summary s) {
    Set<Long> out = new HashSet<>();
    s.failures().forEach(f -> out.add(f.seed()));
    return out;
  }

  @Test
  void shardsAreDisjointAndCoverTheRun() {
    FuzzCampaign c = new FuzzCampaign(IDENTITY, List.of(MANY_RELUS));
    FuzzConfig base = FuzzConfig.of(60, 42, OPTS).withReduce(false);
    FuzzCampaign.Summary all = c.run(base, p -> { });
    FuzzCampaign.Summary s1 = c.run(base.withShard(1, 2), p -> { });
    FuzzCampaign.Summary s2 = c.run(base.withShard(2, 2), p -> { });
    assertEquals(60, all.passed() + all.failed());
    assertEquals(30, s1.passed() + s1.failed());
    assertEquals(30, s2.passed() + s2.failed());
    Set<Long> union = new HashSet<>(failingSeeds(s1));
    union.addAll(failingSeeds(s2));
    assertEquals(failingSeeds(all), union);
    assertTrue(all.failed() > 0 && all.passed() > 0, all.line());
    List<Integer> idx = new ArrayList<>();
    s1.failures().forEach(f -> idx.add(f.index()));
    assertTrue(idx.stream().allMatch(i -> i % 2 == 0), idx.toString());
  }

  @Test
  void parallelJobsGiveTheSameResults() {
    FuzzCampaign c = new FuzzCampaign(IDENTITY, List.of(MANY_RELUS));
    FuzzConfig base = FuzzConfig.of(40, 7, OPTS);
    FuzzCampaign.Summary one = c.run(base, p -> { });
    FuzzCampaign.Summary two = c.run(base.withJobs(2), p -> { });
    assertEquals(one.line(), two.line());
    assertEquals(failingSeeds(one), failingSeeds(two));
  }

  @Test
  void failuresAreReducedAndMaxFailuresStopsEarly() {
    FuzzCampaign c = new FuzzCampaign(IDENTITY, List.of(MANY_RELUS));
    FuzzCampaign.Summary s = c.run(FuzzConfig.of(100, 3, OPTS).withMaxFailures(1), p -> { });
    assertEquals(1, s.failed());
    FuzzCampaign.CaseResult r = s.failures().get(0);
    assertEquals(3, r.reduced().value().opCount(), r.reduced().summary());
    assertEquals("three-relus", r.reduced().verdict().kind());
    assertTrue(s.passed() == r.index(), "stopped right after the first failure: " + s.line());
  }

  @Test
  void anExhaustedTimeBudgetStartsNoCase() {
    FuzzCampaign c = new FuzzCampaign(IDENTITY, List.of(MANY_RELUS));
    FuzzCampaign.Summary s = c.run(FuzzConfig.of(50, 1, OPTS).withTimeBudget(java.time.Duration.ZERO), p -> { });
    assertEquals("0 passed, 0 failed", s.line());
  }
}
