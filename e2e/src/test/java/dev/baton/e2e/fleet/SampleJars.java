package dev.baton.e2e.fleet;

import dev.baton.testsupport.Repo;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Sample-app jars of any version: sample-app reads the version it reports from its manifest's
 * {@code Implementation-Version}, so a copy of the built 1.0.0 jar with another version there is a new artifact
 * (new bytes, new sha256) that no agent has downloaded yet — what the failover scenario needs.
 */
final class SampleJars {

  private SampleJars() {
  }

  /** sample-app's jar for {@code version}: the built one for 1.0.0 and 2.0.0, else a rewritten copy in target. */
  static Path jar(String version) {
    Path built = Repo.path("sample-app/target/sample-app-" + version + ".jar");
    if (Files.isRegularFile(built)) {
      return built;
    }
    Path out = Path.of("target", "sample-app-" + version + ".jar").toAbsolutePath();
    try (JarInputStream in = new JarInputStream(Files.newInputStream(Repo.path("sample-app/target/sample-app-1.0.0.jar")))) {
      Manifest manifest = new Manifest(in.getManifest());
      manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
      Files.createDirectories(out.getParent());
      try (OutputStream file = Files.newOutputStream(out); JarOutputStream jar = new JarOutputStream(file, manifest)) {
        for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
          jar.putNextEntry(new JarEntry(e.getName()));
          in.transferTo(jar);
          jar.closeEntry();
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out, e);
    }
  }
}
