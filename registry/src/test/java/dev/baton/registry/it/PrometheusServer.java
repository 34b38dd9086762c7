package dev.baton.registry.it;

import dev.baton.testsupport.FreePorts;
import dev.baton.testsupport.Http;
import dev.baton.testsupport.Poll;
import io.vertx.core.json.JsonArray;
import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's {@code prometheus}) on a free port, scraping one gateway's {@code /metrics} every second
 * with the read token (the admin port's credential), its data in a temp dir; stopped by its own pid.
 */
final class PrometheusServer implements AutoCloseable {

  static final String BINARY = "prometheus";

  private final Process process;
  private final Path dir;
  final String url;

  private PrometheusServer(Process process, Path dir, String url) {
    this.process = process;
    this.dir = dir;
    this.url = url;
  }

  /** The binary on the PATH, or null. */
  static Path binary() {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(d, BINARY);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  static PrometheusServer start(Path binary, String gatewayAdminUrl, String token) throws Exception {
    URI admin = URI.create(gatewayAdminUrl);
    Path dir = Files.createTempDirectory("baton-prometheus-");
    Path config = Files.writeString(dir.resolve("prometheus.yml"), String.join("\n",
        "global:",
        "  scrape_interval: 1s",
        "  evaluation_interval: 1s",
        "scrape_configs:",
        "  - job_name: baton-gateway",
        "    metrics_path: /metrics",
        "    authorization:",
        "      credentials: '" + token + "'",
        "    static_configs:",
        "      - targets: ['" + admin.getHost() + ":" + admin.getPort() + "']",
        ""));
    int port = FreePorts.find();
    Process p = new ProcessBuilder(List.of(binary.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn"))
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    PrometheusServer server = new PrometheusServer(p, dir, "http://127.0.0.1:" + port);
    try {
      Poll.until(Duration.ofSeconds(30), () -> p.isAlive() && new Http(server.url).get("/-/ready").status() == 200,
          "Prometheus to be ready (log: " + dir.resolve("prometheus.log") + ")");
    } catch (RuntimeException | AssertionError e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** The vector of an instant query (empty when no series). */
  JsonArray query(String promql) {
    return new Http(url).get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).json()
        .getJsonObject("data").getJsonArray("result");
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
