package dev.kbyoc.ir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The dtypes beyond the compiler's six (float16, bfloat16, float64, int16, uint16, uint32,
 * uint64): bit conversions and element access, against hand-computed IEEE encodings.
 */
class WideDTypesTest {
  @Test
  void float16EncodesNearestTiesToEven() {
    assertEquals((short) 0x3C00, HalfFloats.toFloat16(1.0));
    assertEquals((short) 0xC000, HalfFloats.toFloat16(-2.0));
    assertEquals((short) 0x7BFF, HalfFloats.toFloat16(65504.0)); // largest finite
    assertEquals((short) 0x7BFF, HalfFloats.toFloat16(65519.99));
    assertEquals((short) 0x7C00, HalfFloats.toFloat16(65520.0)); // halfway to 2^16 rounds to even = inf
    assertEquals((short) 0x0001, HalfFloats.toFloat16(0x1p-24)); // smallest subnormal
    assertEquals((short) 0x0000, HalfFloats.toFloat16(0x1p-25)); // tie between 0 and 2^-24 -> even 0
    assertEquals((short) 0x0400, HalfFloats.toFloat16(0x1p-14)); // smallest normal
    assertEquals((short) 0x2E66, HalfFloats.toFloat16(0.1)); // 0.0999755859375
    assertEquals((short) 0x3555, HalfFloats.toFloat16(1.0 / 3));
    // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to the even mantissa (1.0)
    assertEquals((short) 0x3C00, HalfFloats.toFloat16(1 + 0x1p-11));
    assertEquals((short) 0x3C02, HalfFloats.toFloat16(1 + 3 * 0x1p-11));
    assertEquals((short) 0x7E00, HalfFloats.toFloat16(Double.NaN));
    assertEquals(0.0999755859375f, HalfFloats.fromFloat16((short) 0x2E66));
    assertEquals(0x1p-24f, HalfFloats.fromFloat16((short) 0x0001));
    assertEquals(Float.NEGATIVE_INFINITY, HalfFloats.fromFloat16((short) 0xFC00));
    assertEquals(65504f, HalfFloats.fromFloat16((short) 0x7BFF));
  }

  @Test
  void bfloat16IsTheRoundedUpperHalfOfAFloat32() {
    assertEquals((short) 0x3F80, HalfFloats.toBfloat16(1.0));
    assertEquals((short) 0x3F80, HalfFloats.toBfloat16(Float.intBitsToFloat(0x3F808000))); // tie -> even
    assertEquals((short) 0x3F82, HalfFloats.toBfloat16(Float.intBitsToFloat(0x3F818000))); // tie -> even
    assertEquals((short) 0x3F52, HalfFloats.toBfloat16(Float.intBitsToFloat(0x3F51B0E5))); // above half
    assertEquals((short) 0x3EF5, HalfFloats.toBfloat16(Float.intBitsToFloat(0x3EF535B8))); // below half
    assertEquals((short) 0xFF80, HalfFloats.toBfloat16(Double.NEGATIVE_INFINITY));
    assertEquals(1.0f, HalfFloats.fromBfloat16((short) 0x3F80));
  }

  @Test
  void elementsReadAndWriteInEveryNewDtype() {
    NDArray u32 = NDArray.fromBytes(DType.UINT32, new int[] {1}, new byte[] {-1, -1, -1, -1});
    assertEquals(4294967295.0, u32.getDouble(0));
    assertEquals(4294967295L, u32.getLong(0));
    NDArray u64 = NDArray.zeros(DType.UINT64, 2);
    u64.setDouble(0, 0x1p63 + 0x1p12);
    u64.setDouble(1, 7);
    assertEquals(0x1p63 + 0x1p12, u64.getDouble(0));
    assertEquals(Long.MIN_VALUE + 4096, u64.getLong(0));
    assertEquals(7, u64.getLong(1));
    NDArray u16 = NDArray.fromDoubles(DType.UINT16, new double[] {65535, 65536}, 2);
    assertEquals(65535, u16.getLong(0));
    assertEquals(0, u16.getLong(1)); // wraps
    NDArray i16 = NDArray.fromDoubles(DType.INT16, new double[] {-32768, 40000.7}, 2);
    assertEquals(-32768, i16.getLong(0));
    assertEquals(40000 - 65536, i16.getLong(1)); // truncates then wraps
    NDArray f64 = NDArray.fromDoubles(DType.FLOAT64, new double[] {0.1}, 1);
    assertEquals(0.1, f64.getDouble(0)); // no float32 rounding
    assertArrayEquals(new byte[] {(byte) 0x9A, (byte) 0x99, (byte) 0x99, (byte) 0x99, (byte) 0x99, (byte) 0x99, (byte) 0xB9, 0x3F},
        f64.toBytes());
    NDArray f16 = NDArray.fromDoubles(DType.FLOAT16, new double[] {0.1, -2}, 2);
    assertArrayEquals(new byte[] {0x66, 0x2E, 0x00, (byte) 0xC0}, f16.toBytes());
    assertEquals(0.0999755859375, f16.getDouble(0));
    assertEquals(f16, NDArray.fromBytes(DType.FLOAT16, new int[] {2}, f16.toBytes()));
    assertEquals(f16.copy(), f16);
    assertEquals(2, f16.byteSize() / 2);
  }

  @Test
  void dtypesHaveTheirDlpackCodesAndLimits() {
    assertEquals(DType.BFLOAT16, DType.fromDl(DType.KDL_BFLOAT, 16, 1));
    assertEquals(DType.FLOAT16, DType.fromDl(DType.KDL_FLOAT, 16, 1));
    assertEquals(DType.FLOAT64, DType.parse("float64"));
    assertEquals(DType.UINT64, DType.fromDl(DType.KDL_UINT, 64, 1));
    assertTrue(DType.FLOAT16.isFloat() && DType.BFLOAT16.isFloat() && !DType.UINT16.isFloat());
    assertTrue(DType.UINT32.isUnsigned() && !DType.INT16.isUnsigned() && !DType.BOOL.isUnsigned());
    assertEquals(-65504.0, DType.FLOAT16.lowest());
    assertEquals(3.3895313892515355e38, DType.BFLOAT16.highest());
    assertEquals(65535.0, DType.UINT16.highest());
    assertEquals(-32768.0, DType.INT16.lowest());
  }
}
