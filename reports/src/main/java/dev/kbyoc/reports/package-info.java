/**
 * Builds kbyoc's test report after the other modules ran their tests: collects every module's
 * Allure results, adds environment, categories and executor files, renders the model summary page
 * and runs the Allure commandline (unpacked from Maven) to write one self-contained HTML file.
 *
 * <p>May depend on: {@code dev.kbyoc.report} (harness) and the JDK.
 */
package dev.kbyoc.reports;
