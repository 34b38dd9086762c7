package dev.baton.testsupport.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.testsupport.JavaJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service's JVM options: the light test options unless a benchmark asks for the shipped gateway file. */
class ServiceSpecTest {

  @Test
  void servicesStartWithTheLightOptionsAndKeepChosenOnesThroughTheWithers() {
    assertThat(ServiceSpec.agent("agent-1").jvmOptions()).isEqualTo(JavaJar.lightJvmOptions());
    ServiceSpec gateway = ServiceSpec.gateway("gateway-1").shippedJvm().env("BATON_X", "1").on(LocalHost.INSTANCE);
    assertThat(gateway.jvmOptions()).singleElement().satisfies(o -> {
      assertThat(o).startsWith("@").endsWith("gateway/jvm.options");
      assertThat(Path.of(o.substring(1))).as("the file the gateway ships with").isRegularFile();
    });
    assertThat(gateway.env()).containsEntry("BATON_X", "1");
  }

  @Test
  void onlyTheGatewayShipsJvmOptions() {
    assertThatThrownBy(() -> ServiceSpec.registry("registry-1").shippedJvm())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("registry");
  }

  @Test
  void theOptionsComeBeforeTheJar(@TempDir Path dir) throws Exception {
    Path jar = Files.createFile(dir.resolve("x.jar"));
    List<String> command = JavaJar.command(List.of("@opts", "-Xmx64m"), jar, "arg");
    assertThat(command.subList(1, command.size())).containsExactly("@opts", "-Xmx64m", "-jar", jar.toString(), "arg");
    assertThat(JavaJar.command(jar)).containsSubsequence(JavaJar.lightJvmOptions());
  }
}
