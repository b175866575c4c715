package dev.kbyoc.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import java.util.Arrays;
import java.util.Map;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;
import org.junit.jupiter.api.Test;

/** Malformed and unsupported ONNX input gives one-line errors naming the file and node. */
class OnnxImporterErrorsTest {
  private static final String[] NONE = {};

  private static OnnxBuilder addRelu() {
    return OnnxBuilder.create().input("x", 1, 4).output("y", 1, 4)
        .initializer("b", NDArray.of(new float[] {1, 2, 3, 4}, 4))
        .node("Add", "add0", new String[] {"x", "b"}, new String[] {"s"})
        .node("Relu", "relu0", new String[] {"s"}, new String[] {"y"});
  }

  private static KbyocException fails(byte[] bytes) {
    KbyocException e = assertThrows(KbyocException.class,
        () -> OnnxImporter.fromBytes(bytes, "m.onnx", OnnxImporter.Options.DEFAULT));
    assertFalse(e.getMessage().contains("\n"), "message must be one line: " + e.getMessage());
    assertTrue(e.getMessage().startsWith("m.onnx"), "message must name the file: " + e.getMessage());
    return e;
  }

  @Test
  void truncatedProtobufIsRejectedNamingTheFile() {
    byte[] ok = addRelu().bytes();
    KbyocException e = fails(Arrays.copyOf(ok, ok.length - 7));
    assertTrue(e.getMessage().contains("truncated or corrupt protobuf"), e.getMessage());
  }

  @Test
  void bytesThatAreNotAModelAreRejected() {
    KbyocException e = fails(new byte[0]);
    assertTrue(e.getMessage().contains("not an ONNX model"), e.getMessage());
  }

  @Test
  void missingInitializerNamesTheNodeAndTensor() {
    byte[] m = OnnxBuilder.create().input("x", 1, 4).output("y", 1, 4)
        .node("Add", "add0", new String[] {"x", "w"}, new String[] {"y"}).bytes();
    KbyocException e = fails(m);
    assertTrue(e.getMessage().contains("node 'add0' (Add)") && e.getMessage().contains("'w'")
        && e.getMessage().contains("missing initializer"), e.getMessage());
  }

  @Test
  void initializerWhoseBytesDoNotMatchItsDtypeIsRejected() {
    TensorProto bad = TensorProto.newBuilder().setName("b").setDataType(TensorProto.DataType.FLOAT_VALUE)
        .addDims(4).setRawData(ByteString.copyFrom(new byte[8])).build(); // 4 floats need 16 bytes
    byte[] m = OnnxBuilder.create().input("x", 1, 4).output("y", 1, 4).rawInitializer(bad)
        .node("Add", "add0", new String[] {"x", "b"}, new String[] {"y"}).bytes();
    KbyocException e = fails(m);
    assertTrue(e.getMessage().contains("initializer 'b'") && e.getMessage().contains("needs 16"), e.getMessage());
  }

  @Test
  void invalidElementTypeCodeIsRejected() {
    TensorProto bad = TensorProto.newBuilder().setName("b").setDataType(77).addDims(1).build();
    byte[] m = OnnxBuilder.create().input("x", 1).output("y", 1).rawInitializer(bad)
        .node("Add", "add0", new String[] {"x", "b"}, new String[] {"y"}).bytes();
    KbyocException e = fails(m);
    assertTrue(e.getMessage().contains("invalid element type code 77"), e.getMessage());
  }

  @Test
  void cycleIsRejectedNamingANode() {
    byte[] m = OnnxBuilder.create().input("x", 1, 4).output("y", 1, 4)
        .node("Add", "add0", new String[] {"x", "r"}, new String[] {"s"})
        .node("Relu", "relu0", new String[] {"s"}, new String[] {"r"})
        .node("Relu", "out", new String[] {"s"}, new String[] {"y"}).bytes();
    KbyocException e = fails(m);
    assertTrue(e.getMessage().contains("cycle") && e.getMessage().contains("(Add)"), e.getMessage());
  }

  @Test
  void nodeOfAnUnimportedDomainIsMalformed() {
    byte[] m = OnnxBuilder.create().input("x", 1).output("y", 1)
        .node(NodeProto.newBuilder().setOpType("Relu").setName("r").setDomain("com.example")
            .addInput("x").addOutput("y").build()).bytes();
    KbyocException e = fails(m);
    assertFalse(e instanceof OnnxUnsupportedException);
    assertTrue(e.getMessage().contains("unknown opset domain 'com.example'"), e.getMessage());
  }

  @Test
  void opsetAboveSeventeenOrBelowOneIsUnsupported() {
    KbyocException e = fails(addRelu().opset(18).bytes());
    assertInstanceOf(OnnxUnsupportedException.class, e);
    assertTrue(e.getMessage().contains("opset version 18"), e.getMessage());
    assertTrue(fails(addRelu().opset(0).bytes()).getMessage().contains("opset version 0"));
  }

  @Test
  void modelWithoutADefaultDomainOpsetIsMalformed() {
    byte[] m = OnnxBuilder.create().opsetDomain("com.example").input("x", 1).output("y", 1)
        .node("Relu", "r", new String[] {"x"}, new String[] {"y"}).bytes();
    assertTrue(fails(m).getMessage().contains("imports no default-domain"));
  }

  @Test
  void everyUnsupportedOpIsListedOnceWithCountsAndNodes() {
    byte[] m = OnnxBuilder.create().input("x", 1, 4).output("y", 1, 4)
        .node("Foo", "f1", new String[] {"x"}, new String[] {"a"})
        .node("Relu", "r", new String[] {"a"}, new String[] {"b"})
        .node("Foo", "f2", new String[] {"b"}, new String[] {"c"})
        .node("Bar", "", new String[] {"c"}, new String[] {"y"}).bytes();
    KbyocException e = fails(m);
    assertInstanceOf(OnnxUnsupportedException.class, e);
    assertEquals("m.onnx: unsupported ONNX ops: Bar x1 (node #3), Foo x2 (nodes 'f1', 'f2')", e.getMessage());
  }

  @Test
  void dynamicDimNeedsShapeAndShapeFixesIt() {
    byte[] m = OnnxBuilder.create().input("x", -1, 4).output("y", -1, 4)
        .node("Relu", "r", new String[] {"x"}, new String[] {"y"}).bytes();
    KbyocException e = fails(m);
    assertTrue(e.getMessage().contains("graph input 'x'") && e.getMessage().contains("--shape x=1x4"), e.getMessage());
    OnnxModel ok = OnnxImporter.fromBytes(m, "m.onnx",
        OnnxImporter.Options.DEFAULT.withShapes(Map.of("x", new int[] {3, 4})));
    assertEquals("Tensor[(3, 4), float32]", ok.module().main().params().get(0).typeAnnotation().toRelay());
    KbyocException bad = assertThrows(KbyocException.class, () -> OnnxImporter.fromBytes(m, "m.onnx",
        OnnxImporter.Options.DEFAULT.withShapes(Map.of("x", new int[] {3, 5}))));
    assertTrue(bad.getMessage().contains("fixes it to 4"), bad.getMessage());
    KbyocException unknown = assertThrows(KbyocException.class, () -> OnnxImporter.fromBytes(m, "m.onnx",
        OnnxImporter.Options.DEFAULT.withShapes(Map.of("z", new int[] {1}))));
    assertTrue(unknown.getMessage().contains("'z', which is not a graph input"), unknown.getMessage());
  }

  @Test
  void shapeSpecParsesAndRejectsGarbage() {
    Map.Entry<String, int[]> s = OnnxImporter.parseShape("input.1=1x3x224x224");
    assertEquals("input.1", s.getKey());
    assertEquals("[1, 3, 224, 224]", Arrays.toString(s.getValue()));
    assertThrows(KbyocException.class, () -> OnnxImporter.parseShape("x=1xAx3"));
    assertThrows(KbyocException.class, () -> OnnxImporter.parseShape("1x3"));
  }

  @Test
  void undefinedGraphOutputIsRejected() {
    byte[] m = OnnxBuilder.create().input("x", 1).output("nope", 1)
        .node("Relu", "r", new String[] {"x"}, new String[] {"y"}).bytes();
    assertTrue(fails(m).getMessage().contains("graph output 'nope'"));
  }

  @Test
  void noOutputsIsRejected() {
    byte[] m = OnnxBuilder.create().input("x", 1).node("Relu", "r", new String[] {"x"}, NONE).bytes();
    assertTrue(fails(m).getMessage().contains("no outputs"));
  }
}
