package dev.baton.registry.release;

import dev.baton.registry.hooks.WebhookClient;
import io.vertx.core.Future;
import java.util.Map;

/** Makes a gate's HTTP call; never fails (no answer is a {@link WebhookClient.Reply} with status 0). */
@FunctionalInterface
public interface GateCaller {

  Future<WebhookClient.Reply> call(GateCall call);

  /**
   * POSTs the call's payload to the gate's URL with {@link WebhookClient} (no baton credential is sent), cut off after
   * the gate's {@code timeoutSeconds}.
   */
  static GateCaller http(WebhookClient client) {
    return call -> client.post(call.gate().url(), call.payload().toBuffer().getBytes(),
        Map.of("X-Baton-Gate", call.gate().on().key(), "X-Baton-Release", call.releaseId()),
        call.gate().timeoutSeconds() * 1000L);
  }
}
