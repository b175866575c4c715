/**
 * The Kendryte K210 backend: the support rules shared by the partition predicate and the codegen
 * ({@link dev.kbyoc.kendryte.KendryteRules}) and kmodel inspection. Subpackages: {@code format}
 * (kmodel v3), {@code sim} (KPU simulator), {@code codegen} ({@code relay.ext.kendryte}). See
 * {@code docs/kendryte.md}.
 *
 * <p>May depend on: {@code ir}, {@code op}, {@code pass}, {@code kendryte.format}, {@code
 * kendryte.sim} (not {@code kendryte.codegen}, which depends on this package).
 */
package dev.kbyoc.kendryte;
