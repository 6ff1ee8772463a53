package io.opflow.cli;

import io.opflow.core.Definitions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a user's definitions jar at test time, as a user would: a {@code DefinitionsProvider}
 * compiled against Opflow, registered in {@code META-INF/services}, packed in a jar.
 */
final class DefinitionsJars {
  private DefinitionsJars() {}

  /**
   * Compiles a provider with one job of one op and returns the jar.
   *
   * @param dir where to build
   * @param className simple name of the provider, in package {@code com.example}
   * @param jobName the job's name
   */
  static Path build(Path dir, String className, String jobName) {
    String source =
        """
        package com.example;

        import io.opflow.core.Definitions;
        import io.opflow.core.DefinitionsProvider;
        import io.opflow.core.JobDefinition;
        import io.opflow.core.OpDefinition;

        public final class %s implements DefinitionsProvider {
          @Override
          public Definitions definitions() {
            OpDefinition<?> one = OpDefinition.builder("one").output(Integer.class).body(ctx -> 1);
            return Definitions.builder()
                .jobs(JobDefinition.builder("%s").add(one).build())
                .codeVersion("%s-1")
                .build();
          }
        }
        """
            .formatted(className, jobName, className);
    return jar(dir.resolve(className), "com.example." + className, source);
  }

  /** Opens a class loader over jars, whose parent is the test's class loader. */
  static URLClassLoader loader(Path... jars) {
    URL[] urls =
        Stream.of(jars)
            .map(
                jar -> {
                  try {
                    return jar.toUri().toURL();
                  } catch (MalformedURLException e) {
                    throw new IllegalStateException(e);
                  }
                })
            .toArray(URL[]::new);
    return new URLClassLoader(urls, DefinitionsJars.class.getClassLoader());
  }

  private static Path jar(Path dir, String className, String source) {
    try {
      Path src = dir.resolve("src").resolve(className.replace('.', '/') + ".java");
      Path classes = dir.resolve("classes");
      Files.createDirectories(src.getParent());
      Files.createDirectories(classes);
      Files.writeString(src, source);
      compile(src, classes);
      Path services = classes.resolve("META-INF/services/io.opflow.core.DefinitionsProvider");
      Files.createDirectories(services.getParent());
      Files.writeString(services, className + "\n");
      return pack(
          classes, dir.resolve(className.substring(className.lastIndexOf('.') + 1) + ".jar"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void compile(Path source, Path classes) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> args =
        List.of(
            "-d", classes.toString(), "-cp", coreClasses(), "--release", "17", source.toString());
    int code = javac.run(null, null, null, args.toArray(String[]::new));
    if (code != 0) {
      throw new IllegalStateException("javac failed with " + code + " on " + source);
    }
  }

  /** Where Opflow's core API is: all a definitions jar compiles against. */
  private static String coreClasses() {
    try {
      return Path.of(Definitions.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path pack(Path classes, Path jar) throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(classes)) {
      walk.filter(Files::isRegularFile).forEach(files::add);
    }
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream jarOut = new JarOutputStream(out)) {
      for (Path file : files) {
        jarOut.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        jarOut.write(Files.readAllBytes(file));
        jarOut.closeEntry();
      }
    }
    return jar;
  }
}
