/**
 * {@code relay.build} for the graph executor: host fusion and lowering to a TVM-compatible graph
 * with storage planning, the external codegen and constant updater registries
 * ({@code relay.ext.<compiler>}, {@code relay.ext.<compiler>.constant_updater}), and the
 * no-duplicate-constants invariant checked after every build.
 *
 * <p>May depend on: {@code ir}, {@code op}, {@code pass}, {@code runtime}.
 */
package dev.kbyoc.build;
