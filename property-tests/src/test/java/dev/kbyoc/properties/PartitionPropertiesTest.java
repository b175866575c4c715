package dev.kbyoc.properties;

import dev.kbyoc.verify.PartitionSoundness;
import dev.kbyoc.verify.SemanticEquivalence;
import org.junit.jupiter.api.Test;

/** The partitioning pipeline (BindParams, AnnotateTarget, MergeCompilerRegions, PartitionGraph) over random graphs. */
class PartitionPropertiesTest {
  @Test
  void partitionIsSound() {
    PropertyCheck.oracle(500, new PartitionSoundness());
  }

  @Test
  void partitioningPreservesSemantics() {
    PropertyCheck.oracle(500, new SemanticEquivalence());
  }
}
