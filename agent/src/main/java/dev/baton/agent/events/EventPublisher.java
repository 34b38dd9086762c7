package dev.baton.agent.events;

import dev.baton.common.bus.Addresses;
import dev.baton.common.bus.BatonEvent;
import dev.baton.common.model.Instance;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes instance state changes on {@code baton.events} and logs each as one line, so the CLI, the
 * dashboard and the agent's own log tell the same story. Kinds: {@code instance.starting, .healthy,
 * .registered, .deregistered, .draining, .drained, .drain-timeout, .sigterm, .sigkill, .stopped, .failed,
 * .crashed, .restarting, .adopted, .unhealthy}; the subject is the instance id.
 */
public final class EventPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

  private final EventBus bus;
  private final String source;

  public EventPublisher(EventBus bus, String source) {
    this.bus = bus;
    this.source = source;
  }

  public void instance(String kind, Instance instance, String message) {
    instance(kind, instance, message, new JsonObject());
  }

  public void instance(String kind, Instance instance, String message, JsonObject data) {
    JsonObject details = data.copy().put("version", instance.version()).put("port", instance.port())
        .put("pid", instance.pid());
    BatonEvent event = new BatonEvent(Instant.now().toString(), kind, source, instance.app(), instance.id(), message,
        details);
    LOG.info("agent event {} {}{}", kind, instance.id(), message == null ? "" : ": " + message);
    bus.publish(Addresses.EVENTS, event.toJson());
  }
}
