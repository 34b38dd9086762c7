package dev.baton.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shipped JVM options (gateway/jvm.options, docs/ARCHITECTURE.md "Gateway memory") are a file the java launcher
 * of this JDK accepts, with the collector and heap they document, and the container image starts the gateway with them.
 */
class JvmOptionsTest {

  private static final Path OPTIONS = Path.of("jvm.options");

  @Test
  void theJavaLauncherAcceptsTheFileAndAppliesIt() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "@" + OPTIONS.toAbsolutePath(), "-XX:+PrintFlagsFinal", "-version")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(flag(out, "UseSerialGC")).isEqualTo("true");
    assertThat(flag(out, "MaxHeapSize")).isEqualTo(Long.toString(512L * 1024 * 1024));
    assertThat(flag(out, "ExitOnOutOfMemoryError")).isEqualTo("true");
  }

  @Test
  void theContainerImageStartsTheGatewayWithIt() throws Exception {
    List<String> dockerfile = Files.readAllLines(Path.of("Dockerfile"));
    assertThat(dockerfile).contains("COPY --from=build /src/gateway/jvm.options /opt/baton/jvm.options")
        .anySatisfy(l -> assertThat(l).startsWith("ENTRYPOINT [\"java\", \"@/opt/baton/jvm.options\", \"-jar\""));
  }

  private static String flag(String printFlagsFinal, String name) {
    return printFlagsFinal.lines().map(String::trim).filter(l -> l.matches("\\S+\\s+" + name + "\\s+=.*"))
        .map(l -> l.replaceAll(".*=\\s*(\\S+).*", "$1")).findFirst().orElse("?");
  }
}
