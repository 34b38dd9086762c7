package dev.baton.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shipped JVM options (gateway/jvm.options and jvm-small.options, docs/ARCHITECTURE.md "Gateway memory") are files
 * the java launcher of this JDK accepts, with the collector and heap they document, and the container image starts the gateway with them.
 */
class JvmOptionsTest {

  @Test
  void theJavaLauncherAcceptsTheDefaultFileAndAppliesIt() throws Exception {
    String out = flags(Path.of("jvm.options"));
    assertThat(flag(out, "UseParallelGC")).isEqualTo("true");
    assertThat(flag(out, "MaxHeapSize")).isEqualTo(Long.toString(512L * 1024 * 1024));
    assertThat(flag(out, "ExitOnOutOfMemoryError")).isEqualTo("true");
  }

  @Test
  void theJavaLauncherAcceptsTheSmallFileAndAppliesIt() throws Exception {
    String out = flags(Path.of("jvm-small.options"));
    assertThat(flag(out, "UseSerialGC")).isEqualTo("true");
    assertThat(flag(out, "MaxHeapSize")).isEqualTo(Long.toString(512L * 1024 * 1024));
    assertThat(flag(out, "MaxHeapFreeRatio")).isEqualTo("30");
    assertThat(flag(out, "ExitOnOutOfMemoryError")).isEqualTo("true");
  }

  private static String flags(Path options) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "@" + options.toAbsolutePath(), "-XX:+PrintFlagsFinal", "-version")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void theContainerImageStartsTheGatewayWithIt() throws Exception {
    List<String> dockerfile = Files.readAllLines(Path.of("Dockerfile"));
    assertThat(dockerfile).contains("COPY --from=build /src/gateway/jvm.options /opt/baton/jvm.options")
        .contains("COPY --from=build /src/gateway/jvm-small.options /opt/baton/jvm-small.options")
        .anySatisfy(l -> assertThat(l).startsWith("ENTRYPOINT [\"java\", \"@/opt/baton/jvm.options\", \"-jar\""));
  }

  private static String flag(String printFlagsFinal, String name) {
    return printFlagsFinal.lines().map(String::trim).filter(l -> l.matches("\\S+\\s+" + name + "\\s+=.*"))
        .map(l -> l.replaceAll(".*=\\s*(\\S+).*", "$1")).findFirst().orElse("?");
  }
}
