package dev.kbyoc.ir.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kbyoc.ir.Call;
import dev.kbyoc.ir.Constant;
import dev.kbyoc.ir.DType;
import dev.kbyoc.ir.IRModule;
import dev.kbyoc.ir.KbyocException;
import dev.kbyoc.ir.NDArray;
import dev.kbyoc.ir.Tuple;
import dev.kbyoc.pass.InferType;
import dev.kbyoc.runtime.ParamsFormat;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code astext()}'s default output ends with a {@code #[metadata]} JSON section holding the constants. */
class TvmMetadataTest {

  /** The SaveDLTensor blob of one array: the params binary minus its list header and the one name. */
  private static String b64(String name, NDArray a) {
    byte[] file = ParamsFormat.encode(Map.of(name, a));
    int header = 8 + 8 + 8 + 8 + name.length() + 8;
    return Base64.getEncoder().encodeToString(Arrays.copyOfRange(file, header, file.length));
  }

  @Test
  void readsConstantsFromTheMetadataSection() {
    NDArray w = NDArray.of(new float[] {1, 2, 3, 4}, 4);
    NDArray q = NDArray.ofBytes(DType.INT8, new byte[] {-1, 5}, 2);
    // the structure TVM's SaveJSON writes: node 0 is None, the root map, the array, the constants
    String text = """
        #[version = "0.0.5"]
        def @main(%x: Tensor[(1, 4), float32], %y: Tensor[(2), int8]) -> (Tensor[(1, 4), float32], Tensor[(2), int8]) {
          %0 = add(%x, meta[relay.Constant][0] /* ty=Tensor[(4), float32] */) /* ty=Tensor[(1, 4), float32] */;
          %1 = add(%y, meta[relay.Constant][1] /* ty=Tensor[(2), int8] */) /* ty=Tensor[(2), int8] */;
          (%0, %1)
        }

        #[metadata]
        {
          "root": 1,\s
          "nodes": [
            {
              "type_key": ""
            },\s
            {
              "type_key": "Map",\s
              "keys": [
                "relay.Constant"
              ],\s
              "data": [2]
            },\s
            {
              "type_key": "Array",\s
              "data": [3, 4]
            },\s
            {
              "type_key": "relay.Constant",\s
              "attrs": {
                "_checked_type_": "0",\s
                "data": "0",\s
                "span": "0"
              }
            },\s
            {
              "type_key": "relay.Constant",\s
              "attrs": {
                "_checked_type_": "0",\s
                "data": "1",\s
                "span": "0"
              }
            }
          ],\s
          "b64ndarrays": [
            "BLOB0",\s
            "BLOB1"
          ],\s
          "attrs": {"tvm_version": "0.8.0"}
        }""".replace("BLOB0", b64("a", w)).replace("BLOB1", b64("b", q));
    IRModule m = RelayParser.parse("meta.relay", text, List.of(), InferType::run);
    Call add = (Call) ((Tuple) m.main().body()).fields().get(0);
    assertEquals(w, ((Constant) add.arg(1)).data());
    RelayPrinter.Printed p = RelayPrinter.print(m);
    assertEquals(List.of(w, q), p.constants());
    assertEquals(p.text(), RelayPrinter.print(RelayParser.parse("again", p.text(), p.constants(), InferType::run)).text());
  }

  @Test
  void rejectsCorruptMetadataWithLocation() {
    String text = "#[version = \"0.0.5\"]\ndef @main(%x: Tensor[(4), float32]) {\n  add(%x, meta[relay.Constant][0])\n}\n"
        + "#[metadata]\n{\"root\": 1, \"nodes\": [{\"type_key\": \"\"}, {\"type_key\": \"Map\", \"keys\": [\"relay.Constant\"], "
        + "\"data\": [2]}, {\"type_key\": \"Array\", \"data\": [3]}, {\"type_key\": \"relay.Constant\", \"attrs\": {\"data\": \"0\"}}], "
        + "\"b64ndarrays\": [\"P6G0lvBAXt0=\"]}";
    KbyocException e = assertThrows(KbyocException.class, () -> RelayParser.parseUntyped("c.relay", text, List.of()));
    assertEquals("c.relay:5:1: #[metadata] (b64ndarrays[0]): truncated NDArray blob (8 bytes)", e.getMessage());
  }
}
