/**
 * The {@code relay.ext.kendryte} direction: matches a Relay function made of KPU conv groups
 * (conv2d + bias/batchnorm + relu/relu6 + KPU pool), calibrates uint8 quantization on the host,
 * lays the maps out in KPU RAM and emits a kmodel v3.
 *
 * <p>May depend on: {@code ir}, {@code op}, {@code pass}, {@code kendryte}, {@code kendryte.format},
 * {@code kendryte.sim}.
 */
package dev.kbyoc.kendryte.codegen;
