package io.opflow.examples.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java snippet of the README can be copied as written: it names its imports, and it is an
 * excerpt of a complete file that the build compiles, linked just before it.
 *
 * <p>For each {@code java} block: the last link to a {@code .java} file between the block before
 * and this one names the complete file; the block's code lines appear in that file in the same
 * order and adjacent (a {@code ...} line skips some); each of its {@code import} lines is one of
 * the file's, or names a class of the file's package; and every type or static member the file
 * imports, or takes from its own package, that the snippet's code uses is imported by the snippet.
 */
class ReadmeSnippetsTest {
  private static final Path ROOT = Path.of("..", "..");
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+\\.java)\\)");
  private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  @Test
  void everyJavaSnippetNamesItsImportsAndIsAnExcerptOfACompiledFile() throws IOException {
    List<Snippet> snippets = snippets(Files.readAllLines(ROOT.resolve("README.md")));

    assertThat(snippets).as("Java snippets in the README").hasSizeGreaterThanOrEqualTo(6);
    List<String> problems = new ArrayList<>();
    for (Snippet snippet : snippets) {
      problems.addAll(check(snippet));
    }
    assertThat(problems).as("README snippets").isEmpty();
  }

  private record Snippet(int line, String file, List<String> imports, List<String> code) {}

  private static List<Snippet> snippets(List<String> readme) {
    List<Snippet> snippets = new ArrayList<>();
    String file = null;
    for (int i = 0; i < readme.size(); i++) {
      String line = readme.get(i);
      Matcher link = LINK.matcher(line);
      while (link.find()) {
        file = link.group(1);
      }
      if (!line.startsWith("```")) {
        continue;
      }
      int end = i + 1;
      while (!readme.get(end).startsWith("```")) {
        end++;
      }
      if (line.equals("```java")) {
        snippets.add(snippet(i + 1, file, readme.subList(i + 1, end)));
      }
      file = null;
      i = end;
    }
    return snippets;
  }

  private static Snippet snippet(int line, String file, List<String> lines) {
    List<String> imports = new ArrayList<>();
    List<String> code = new ArrayList<>();
    for (String l : lines) {
      String s = l.strip();
      if (s.startsWith("import ")) {
        imports.add(s);
      } else if (!s.isEmpty()) {
        code.add(s);
      }
    }
    return new Snippet(line, file, imports, code);
  }

  private static List<String> check(Snippet snippet) throws IOException {
    String where = "README.md line " + snippet.line() + ": ";
    if (snippet.file() == null) {
      return List.of(where + "no link to the complete .java file before the snippet");
    }
    Path file = ROOT.resolve(snippet.file());
    if (!Files.isRegularFile(file) || !file.toString().contains("/src/")) {
      return List.of(where + snippet.file() + " is not a source file of a module");
    }
    List<String> source =
        Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    List<String> problems = new ArrayList<>();
    if (!isExcerpt(snippet.code(), source)) {
      problems.add(where + "the code is not an excerpt of " + snippet.file());
    }
    Set<String> samePackage = samePackageClasses(file);
    for (String imported : snippet.imports()) {
      if (!source.contains(imported) && !samePackage.contains(lastName(imported))) {
        problems.add(
            where + "'" + imported + "' is neither in " + snippet.file() + " nor its package");
      }
    }
    Set<String> used = words(snippet.code());
    for (String needed : neededImports(source, samePackage, file)) {
      if (used.contains(lastName(needed)) && !snippet.imports().contains(needed)) {
        problems.add(where + "uses " + lastName(needed) + " without '" + needed + "'");
      }
    }
    return problems;
  }

  /** The file's imports, and an import for each class of its package other than its own. */
  private static List<String> neededImports(
      List<String> source, Set<String> samePackage, Path file) {
    List<String> needed =
        new ArrayList<>(source.stream().filter(l -> l.startsWith("import ")).toList());
    String pkg =
        source.stream().filter(l -> l.startsWith("package ")).findFirst().orElse("package ;");
    String packageName = pkg.substring("package ".length(), pkg.length() - 1);
    String own = file.getFileName().toString().replace(".java", "");
    samePackage.stream()
        .filter(name -> !name.equals(own))
        .forEach(name -> needed.add("import " + packageName + "." + name + ";"));
    return needed;
  }

  /**
   * True when each code line is in the source, in order, adjacent unless a "..." line is between.
   */
  private static boolean isExcerpt(List<String> code, List<String> source) {
    int from = 0;
    int i = 0;
    while (i < code.size()) {
      List<String> run = new ArrayList<>();
      while (i < code.size() && !code.get(i).equals("...")) {
        run.add(code.get(i++));
      }
      i++;
      if (run.isEmpty()) {
        continue;
      }
      int at = indexOf(source, run, from);
      if (at < 0) {
        return false;
      }
      from = at + run.size();
    }
    return true;
  }

  private static int indexOf(List<String> source, List<String> run, int from) {
    for (int at = from; at + run.size() <= source.size(); at++) {
      if (source.subList(at, at + run.size()).equals(run)) {
        return at;
      }
    }
    return -1;
  }

  /** Classes of the file's package, in main and test sources of its module. */
  private static Set<String> samePackageClasses(Path file) throws IOException {
    Set<String> names = new TreeSet<>();
    String path = file.toString();
    for (String variant :
        List.of(
            path.replace("/src/test/", "/src/main/"), path.replace("/src/main/", "/src/test/"))) {
      Path dir = Path.of(variant).getParent();
      if (Files.isDirectory(dir)) {
        try (Stream<Path> files = Files.list(dir)) {
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".java"))
              .forEach(n -> names.add(n.substring(0, n.length() - ".java".length())));
        }
      }
    }
    return names;
  }

  private static Set<String> words(List<String> code) {
    Set<String> words = new TreeSet<>();
    for (String line : code) {
      String withoutStrings = line.replaceAll("\"([^\"\\\\]|\\\\.)*\"", "\"\"");
      Matcher m = WORD.matcher(withoutStrings.replaceAll("//.*", ""));
      while (m.find()) {
        words.add(m.group());
      }
    }
    return words;
  }

  private static String lastName(String importLine) {
    String name = importLine.replace("import static ", "").replace("import ", "").replace(";", "");
    return name.substring(name.lastIndexOf('.') + 1);
  }
}
