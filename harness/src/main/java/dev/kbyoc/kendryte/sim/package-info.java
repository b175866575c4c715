/**
 * The K210 simulator, split by hardware unit: KPU RAM (2 MiB in 64-byte lines, channel-row
 * layout), main memory, the KPU conv pipeline (convolution with argument terms, batchnorm,
 * 16-segment activation, pooling) and the CPU layers of the SDK's {@code kpu.c}; {@link
 * dev.kbyoc.kendryte.sim.KmodelSimulator} drives them over a kmodel in {@link
 * dev.kbyoc.kendryte.sim.SimMode#UINT8} (bit-exact integer) or {@link
 * dev.kbyoc.kendryte.sim.SimMode#FLOAT} (the same layers without rounding) mode. The uint8
 * convolution runs on int vectors ({@code jdk.incubator.vector}) when the module is present, else
 * on the scalar loops; both give the same bytes.
 *
 * <p>May depend on: {@code ir}, {@code kendryte.format}.
 */
package dev.kbyoc.kendryte.sim;
