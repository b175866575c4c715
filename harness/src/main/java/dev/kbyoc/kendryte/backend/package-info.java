/**
 * The Kendryte backend wired into the build and runtime: the {@code kendryte} target (the rule
 * set of {@code KendryteRules} plus the codegen's region check), {@code relay.ext.kendryte}
 * compiling each region into a kmodel, its empty constant updater, and the {@code kendryte}
 * module loader; all registered through service files.
 *
 * <p>May depend on: {@code ir}, {@code op}, {@code pass}, {@code build}, {@code runtime}, {@code kendryte},
 * {@code kendryte.codegen}, {@code kendryte.format}, {@code kendryte.sim}.
 */
package dev.kbyoc.kendryte.backend;
