/**
 * The Kendryte K210 backend: support rules, the kmodel v3 format ({@code format}) and the KPU
 * simulator ({@code sim}).
 *
 * <p>May depend on: {@code ir}, {@code op}, {@code pass}.
 */
package dev.kbyoc.kendryte;
