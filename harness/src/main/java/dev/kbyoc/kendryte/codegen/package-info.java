/**
 * The {@code relay.ext.kendryte} direction: matches a one-input Relay function as a dataflow graph
 * of KPU conv groups (conv2d + bias/batchnorm + relu/relu6 + KPU pool) and kmodel CPU operations
 * (add, concat, nearest resize, global pool, flatten, dense, softmax), calibrates uint8
 * quantization on the host, plans main memory and KPU RAM by live range and emits a kmodel v3.
 *
 * <p>May depend on: {@code ir}, {@code op}, {@code pass}, {@code kendryte}, {@code kendryte.format},
 * {@code kendryte.sim}.
 */
package dev.kbyoc.kendryte.codegen;
