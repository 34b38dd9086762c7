package dev.baton.gateway.discovery;

import dev.baton.common.consul.ConsulAccess;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recursive KV reads with blocking-query options. Not vertx-consul-client's {@code getValuesWithOptions}:
 * on an empty prefix (404) that drops the {@code X-Consul-Index} header, and a loop without an index
 * would spin; this reads the header on every status. Sends the ACL token and speaks HTTPS as
 * {@link ConsulAccess} says.
 */
public final class KvReader {

  private final HttpClient http;
  private final ConsulAccess consul;
  private final String waitParam;
  private final long idleTimeoutMs;

  /** {@code http} must have been made from {@code consul}'s {@link ConsulAccess#httpClientOptions()}. */
  public KvReader(HttpClient http, ConsulAccess consul, long waitSeconds) {
    this.http = http;
    this.consul = consul;
    this.waitParam = waitSeconds + "s";
    this.idleTimeoutMs = (waitSeconds + 15) * 1000;
  }

  /** Every key under {@code prefix} with its UTF-8 value (folders skipped), as of the returned index. */
  public Future<BlockingQueryLoop.Result<Map<String, String>>> read(String prefix, long index) {
    String uri = "/v1/kv/" + URLEncoder.encode(prefix, StandardCharsets.UTF_8).replace("%2F", "/")
        + "?recurse=true&index=" + index + "&wait=" + waitParam;
    return http.request(blockingGet(consul, uri, idleTimeoutMs))
        .compose(req -> req.send().compose(resp -> resp.body().map(body -> {
          long consulIndex = parseIndex(resp.getHeader("X-Consul-Index"));
          if (resp.statusCode() == 404) {
            return new BlockingQueryLoop.Result<Map<String, String>>(Map.of(), consulIndex);
          }
          if (resp.statusCode() != 200) {
            throw new IllegalStateException("GET " + uri + " answered " + resp.statusCode() + ": " + body);
          }
          return new BlockingQueryLoop.Result<>(decode(new JsonArray(body)), consulIndex);
        })))
        .recover(e -> Future.failedFuture(consul.explain(e)));
  }

  /** A blocking query's GET of {@code uri} with the token and TLS {@code consul} says, idle at most the wait. */
  static RequestOptions blockingGet(ConsulAccess consul, String uri, long idleTimeoutMs) {
    return new RequestOptions().setMethod(HttpMethod.GET).setHost(consul.host()).setPort(consul.port())
        .setSsl(consul.tls()).setURI(uri).setHeaders(consul.headers()).setIdleTimeout(idleTimeoutMs);
  }

  static Map<String, String> decode(JsonArray entries) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      JsonObject e = entries.getJsonObject(i);
      String value = e.getString("Value");
      if (value != null) {
        out.put(e.getString("Key"), new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  static long parseIndex(String header) {
    if (header == null) {
      return 0;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
