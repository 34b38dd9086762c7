package dev.baton.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class ConsulProcessTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void onDiskStorageKeepsKeyValuesAcrossARestart() throws Exception {
    try (ConsulProcess consul = ConsulProcess.start(ConsulProcess.Storage.ON_DISK)) {
      put(consul, "baton/test/kept", "v1");

      consul.restart();

      assertThat(get(consul, "baton/test/kept")).isEqualTo("v1");
    }
  }

  @Test
  void closeStopsTheAgentAndDeletesItsDirectory() {
    ConsulProcess consul = ConsulProcess.start();
    long pid = consul.pid();

    consul.close();

    assertThat(Processes.isRunning(pid)).isFalse();
    assertThat(Files.exists(consul.logFile().getParent())).isFalse();
  }

  @Test
  void extraConfigurationReachesTheAgent() throws Exception {
    JsonObject extra = new JsonObject().put("limits", new JsonObject().put("http_max_conns_per_client", 4096));
    try (ConsulProcess consul = ConsulProcess.start(ConsulProcess.Storage.IN_MEMORY, ConsulSecurity.Mode.NONE, extra)) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(consul.httpAddress() + "/v1/agent/self")).build();
      JsonObject self = new JsonObject(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());

      assertThat(self.getJsonObject("DebugConfig").getInteger("HTTPMaxConnsPerClient")).isEqualTo(4096);
    }
  }

  private static void put(ConsulProcess consul, String key, String value) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(consul.httpAddress() + "/v1/kv/" + key))
        .PUT(HttpRequest.BodyPublishers.ofString(value)).build();
    assertThat(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("true");
  }

  private static String get(ConsulProcess consul, String key) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(consul.httpAddress() + "/v1/kv/" + key + "?raw"))
        .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }
}
