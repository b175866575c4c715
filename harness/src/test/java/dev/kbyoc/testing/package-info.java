/**
 * Test support shared by every module through the harness test-jar: Allure attachments and steps
 * ({@link dev.kbyoc.testing.Attach}), attachments recorded only when a test fails
 * ({@link dev.kbyoc.testing.AttachOnFailure}), the in-process CLI runner
 * ({@link dev.kbyoc.testing.CliRun}), a build run on the graph runtime against the interpreter
 * ({@link dev.kbyoc.testing.HostRun}) and the embedding host-kernel test codegen
 * ({@link dev.kbyoc.testing.TestCodegens}).
 *
 * <p>May depend on: {@code dev.kbyoc.*}, JUnit Jupiter, Allure (allure-java-commons).
 */
package dev.kbyoc.testing;
