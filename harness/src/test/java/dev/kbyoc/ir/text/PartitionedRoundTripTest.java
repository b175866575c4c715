package dev.kbyoc.ir.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.StructuralEqual;
import dev.kbyoc.op.Targets;
import dev.kbyoc.pass.AnnotateTarget;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.pass.MergeCompilerRegions;
import dev.kbyoc.pass.PartitionGraph;
import dev.kbyoc.runtime.Interpreter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the partitioning pipeline produces prints and re-parses to an equal, equally computing module. */
class PartitionedRoundTripTest {

  @Test
  void partitionedCnnRoundTrips() {
    IRModule single = RelayParser.parse("single", """
        #[version = "0.0.5"]
        def @main(%data: Tensor[(1, 3, 8, 8), float32], %w: Tensor[(4, 3, 3, 3), float32], %d: Tensor[(10, 64), float32]) {
          %0 = nn.conv2d(%data, %w, padding=[1, 1, 1, 1], channels=4, kernel_size=[3, 3]);
          %1 = nn.relu(%0);
          %2 = nn.max_pool2d(%1, pool_size=[2, 2], strides=[2, 2]);
          %3 = nn.batch_flatten(%2);
          %4 = nn.dense(%3, %d, units=10);
          nn.softmax(%4)
        }
        """, List.of(), InferType::run);
    IRModule partitioned = InferType.run(PartitionGraph.run(MergeCompilerRegions.run(
        AnnotateTarget.run(single, List.of(Targets.get("kendryte"))))));
    RelayPrinter.Printed printed = RelayPrinter.print(partitioned);
    assertTrue(printed.text().contains("Compiler=\"kendryte\""), printed.text());
    IRModule back = RelayParser.parse("printed", printed.text(), printed.constants(), InferType::run);
    assertNull(StructuralEqual.firstDifference(partitioned, back), printed.text());
    assertEquals(printed.text(), RelayPrinter.print(back).text());

    Map<String, NDArray> in = CorpusRoundTripTest.inputs(single);
    assertEquals(new Interpreter(single).runFlat(in), new Interpreter(back).runFlat(in));
  }
}
