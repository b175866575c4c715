/**
 * JMH micro-benchmarks of the host kernels: each fast kernel against its reference kernel on the
 * shapes the golden CNNs use. Built only by {@code mvn -Pbenchmarks package}.
 *
 * <p>May depend on: {@code ir}, {@code op}, {@code runtime.kernels}; JMH.
 */
package dev.kbyoc.bench.jmh;
