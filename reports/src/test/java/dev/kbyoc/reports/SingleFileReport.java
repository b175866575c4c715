package dev.kbyoc.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test helper: the files an Allure single-file report embeds, each as {@code d('path','base64')}
 * in the HTML, decoded to text by path (e.g. {@code data/suites.json}).
 */
final class SingleFileReport {
  private static final Pattern ENTRY = Pattern.compile("d\\('([^']+)','([A-Za-z0-9+/=]*)'\\)");

  private SingleFileReport() {}

  static Map<String, String> files(Path html) throws IOException {
    String s = Files.readString(html, StandardCharsets.UTF_8);
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = ENTRY.matcher(s);
    while (m.find()) {
      out.put(m.group(1), new String(Base64.getDecoder().decode(m.group(2)), StandardCharsets.UTF_8));
    }
    return out;
  }
}
