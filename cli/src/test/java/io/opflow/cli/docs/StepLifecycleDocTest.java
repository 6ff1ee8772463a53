package io.opflow.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/step-lifecycle.md} ties each hop of a step to a class and method by a link to its
 * source; this test fails when a class moves or a method is renamed and the doc was not updated.
 */
class StepLifecycleDocTest {
  private static final Path DOC = SettingsDocsTest.DOCS.resolve("step-lifecycle.md");

  // [`Class.method`, `other`](../module/src/main/java/.../Class.java)
  private static final Pattern SOURCE_LINK =
      Pattern.compile("\\[([^\\]]+)\\]\\((\\.\\./[^)]+\\.java)\\)");
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  @Test
  void everySourceLinkNamesAClassAndMethodsThatExist() throws IOException {
    String doc = Files.readString(DOC);
    List<String> problems = new ArrayList<>();
    Matcher link = SOURCE_LINK.matcher(doc);
    int links = 0;
    while (link.find()) {
      links++;
      problems.addAll(check(link.group(1), DOC.getParent().resolve(link.group(2)).normalize()));
    }
    assertThat(links).as("source links in %s", DOC).isGreaterThan(40);
    assertThat(problems).as("links of docs/step-lifecycle.md that no longer hold").isEmpty();
  }

  private static List<String> check(String text, Path source) throws IOException {
    if (!Files.isRegularFile(source)) {
      return List.of(source + " does not exist (named by " + text + ")");
    }
    String code = Files.readString(source);
    String className = source.getFileName().toString().replace(".java", "");
    List<String> problems = new ArrayList<>();
    Matcher names = CODE.matcher(text);
    while (names.find()) {
      String name = names.group(1);
      int dot = name.indexOf('.');
      String type = dot < 0 && Character.isUpperCase(name.charAt(0)) ? name : null;
      String method = dot < 0 ? (type == null ? name : null) : name.substring(dot + 1);
      if (dot >= 0 && !name.substring(0, dot).equals(className)) {
        problems.add(name + " is linked to " + source);
      }
      if (type != null && !type.equals(className)) {
        problems.add(type + " is linked to " + source);
      }
      if (method != null && !code.contains(" " + method + "(")) {
        problems.add(source.getFileName() + " has no method " + method);
      }
    }
    return problems;
  }
}
