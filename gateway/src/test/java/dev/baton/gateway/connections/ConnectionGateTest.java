package dev.baton.gateway.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.gateway.handover.Listeners;
import dev.baton.gateway.proxy.TrustedProxies;
import dev.baton.testsupport.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.transport.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gate on a real Vert.x server and real sockets: {@link ConnectionGate#closeListeners()} closes the listening
 * socket of a traffic port while the server still serves the connections it accepted (docs/ARCHITECTURE.md,
 * Gateway, "Replacing a gateway").
 */
class ConnectionGateTest {

  int port;
  ConnectionGate gate;
  Vertx vertx;
  HttpServer server;

  @BeforeEach
  void start() throws Exception {
    port = FreePorts.find();
    gate = new ConnectionGate(new ConnectionLimits(1000, 0, TrustedProxies.NONE, TrustedProxies.NONE,
        DescriptorLimits.UNKNOWN), Set.of(port));
    vertx = Vertx.builder().withTransport(GatedTransport.of(Transport.NIO, gate)).build();
    server = vertx.createHttpServer().requestHandler(req -> req.response().end("ok"))
        .listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void closingTheListenersRefusesNewConnectionsAndKeepsServingOpenOnes() throws Exception {
    try (Socket open = new Socket("127.0.0.1", port)) {
      open.setSoTimeout(10_000);
      assertThat(get(open)).startsWith("HTTP/1.1 200");
      assertThat(gate.counts().open()).isEqualTo(1);

      gate.closeListeners().get(10, TimeUnit.SECONDS);

      assertThat(Listeners.count(port)).as("listening sockets on the port").hasValue(0);
      assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", port), 2_000))
          .isInstanceOf(ConnectException.class);
      assertThat(get(open)).as("the connection accepted before still served").startsWith("HTTP/1.1 200");
    }
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void otherServersKeepTheirListener() throws Exception {
    int admin = FreePorts.find();
    vertx.createHttpServer().requestHandler(req -> req.response().end("admin")).listen(admin, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    gate.closeListeners().get(10, TimeUnit.SECONDS);

    try (Socket s = new Socket("127.0.0.1", admin)) {
      s.setSoTimeout(10_000);
      assertThat(get(s)).startsWith("HTTP/1.1 200");
    }
  }

  /** One keep-alive GET on {@code s}; the response head and its short body. */
  private static String get(Socket s) throws IOException {
    s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed after " + head);
      }
      head.append((char) b);
    }
    int length = Integer.parseInt(head.toString().replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
    return head + new String(in.readNBytes(length), StandardCharsets.US_ASCII);
  }
}
