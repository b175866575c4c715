/**
 * Test support shared by every module through the harness test-jar: Allure attachments and steps
 * ({@link dev.kbyoc.testing.Attach}) and attachments recorded only when a test fails
 * ({@link dev.kbyoc.testing.AttachOnFailure}).
 *
 * <p>May depend on: {@code dev.kbyoc.*}, JUnit Jupiter, Allure (allure-java-commons).
 */
package dev.kbyoc.testing;
