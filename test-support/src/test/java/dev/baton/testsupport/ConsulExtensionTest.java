package dev.baton.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.consul.ConsulClient;
import io.vertx.ext.consul.ServiceOptions;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsulExtensionTest {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();

  private static Vertx vertx;
  private static ConsulClient consul;

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    consul = CONSUL.client(vertx);
  }

  @AfterAll
  static void closeVertx() throws Exception {
    await(vertx.close());
  }

  @Test
  @Order(1)
  void kvValueWrittenThroughTheClientReadsBack() throws Exception {
    assertThat(await(consul.putValue("baton/test/greeting", "hello"))).isTrue();

    assertThat(await(consul.getValue("baton/test/greeting")).getValue()).isEqualTo("hello");
  }

  @Test
  @Order(2)
  void registeredServiceShowsUpInTheCatalog() throws Exception {
    await(consul.registerService(new ServiceOptions().setName("shop").setId("shop-1.0.0-a1-20001")
        .setTags(List.of("baton", "version=1.0.0")).setAddress("127.0.0.1").setPort(20001)));

    Poll.until(Duration.ofSeconds(10),
        () -> await(consul.catalogServiceNodes("shop")).getList().stream()
            .anyMatch(s -> s.getId().equals("shop-1.0.0-a1-20001") && s.getTags().contains("version=1.0.0")),
        "shop-1.0.0-a1-20001 in the catalog");
  }

  @Test
  @Order(3)
  void resolvesTheRunningProcessAsParameter(ConsulProcess process) {
    assertThat(process.httpPort()).isEqualTo(CONSUL.port());
    assertThat(process.isRunning()).isTrue();
    assertThat(CONSUL.httpAddress()).isEqualTo("http://127.0.0.1:" + CONSUL.port());
  }

  @Test
  @Order(4)
  void stopRefusesConnectionsAndRestartComesBackOnTheSamePortWithALeader() throws Exception {
    int port = CONSUL.port();

    CONSUL.process().stop();
    assertThatThrownBy(() -> connect(port)).isInstanceOf(ConnectException.class);

    CONSUL.process().restart();
    assertThat(CONSUL.port()).isEqualTo(port);
    assertThat(await(consul.leaderStatus())).isNotBlank();
    assertThat(await(consul.putValue("baton/test/after-restart", "yes"))).isTrue();
  }

  private static void connect(int port) throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
