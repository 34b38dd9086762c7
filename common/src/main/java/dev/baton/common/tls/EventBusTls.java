package dev.baton.common.tls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.ServerSSLOptions;
import java.lang.reflect.Field;

/**
 * Hands new TLS options to the clustered event bus's own server and client. Vert.x 5 has no public API for it
 * (the event bus builds its {@code NetServer} and {@code NetClient} from its options at start), so this reads the
 * two private fields of {@code ClusteredEventBus} and calls their public {@code updateSSLOptions}. Like the
 * gateway's decoder checks, it depends on Vert.x internals and must be re-checked on every Vert.x upgrade;
 * {@code ClusteredVertxFactoryTest} proves it on the version in use (docs/ARCHITECTURE.md, "Cluster").
 */
final class EventBusTls {

  private EventBusTls() {
  }

  static Future<Void> update(Vertx vertx, ServerSSLOptions server, ClientSSLOptions client) {
    EventBus bus = vertx.eventBus();
    try {
      NetServer netServer = (NetServer) field(bus, "server");
      NetClient netClient = (NetClient) field(bus, "client");
      if (netServer == null || netClient == null) {
        return Future.failedFuture("the event bus has not started its server and client yet");
      }
      return Future.all(netServer.updateSSLOptions(server, true), netClient.updateSSLOptions(client, true)).mapEmpty();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return Future.failedFuture(new IllegalStateException("this Vert.x version does not let baton reload the event "
          + "bus certificates (" + e + "); restart the service to use the new ones", e));
    }
  }

  private static Object field(Object owner, String name) throws ReflectiveOperationException {
    for (Class<?> c = owner.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(owner);
      } catch (NoSuchFieldException next) {
        // look in the superclass
      }
    }
    throw new NoSuchFieldException(owner.getClass().getName() + "." + name);
  }
}
