package dev.kbyoc.kendryte.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kbyoc.kendryte.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KmodelRoundTripTest {
  @ParameterizedTest
  @ValueSource(strings = {"kmodel/iris.kmodel", "kmodel/yolo.kmodel"})
  void realFilesRoundTripByteIdentical(String rel) {
    byte[] original = TestData.bytes(rel);
    Kmodel m = KmodelReader.read(rel, original);
    byte[] written = KmodelWriter.write(m);
    assertEquals(original.length, written.length);
    assertArrayEquals(original, written);
    assertEquals(m, KmodelReader.read("again", written));
  }
}
