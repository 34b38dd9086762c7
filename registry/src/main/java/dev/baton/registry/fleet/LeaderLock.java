package dev.baton.registry.fleet;

import dev.baton.common.consul.ConsulAccess;
import dev.baton.common.consul.ConsulKeys;
import dev.baton.common.consul.ConsulRefusedException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.consul.ConsulClient;
import io.vertx.ext.consul.KeyValueOptions;
import io.vertx.ext.consul.SessionBehavior;
import io.vertx.ext.consul.SessionOptions;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One active registry: a Consul session (TTL, renewed; behaviour delete, no lock delay) holding
 * {@code baton/leader}, whose value names the leader {@code {id, url}}. Every {@code checkMs} a follower
 * tries to acquire and a leader verifies it still holds the key. A registry restarted with the same id
 * takes its own stale lock over at once (its previous process is gone: ids are unique per registry)
 * instead of waiting for the old session's TTL.
 */
public final class LeaderLock {

  private static final Logger LOG = LoggerFactory.getLogger(LeaderLock.class);

  /** What to do when leadership is gained or lost. */
  public interface Listener {
    void gained();

    void lost();
  }

  private final Vertx vertx;
  private final ConsulClient consul;
  private final ConsulAccess access;
  private final JsonObject self;
  private final long ttlSeconds;
  private final long checkMs;
  private final Listener listener;
  private String session;
  private boolean leader;
  private long timer = -1;
  private long lastRenew;
  private boolean stopped;

  /** {@code consul} must have been made from {@code access}, which explains its refusals in the log. */
  public LeaderLock(Vertx vertx, ConsulClient consul, ConsulAccess access, String id, String url, long ttlSeconds,
                    long checkMs, Listener listener) {
    this.vertx = vertx;
    this.consul = consul;
    this.access = access;
    this.self = new JsonObject().put("id", id).put("url", url);
    this.ttlSeconds = ttlSeconds;
    this.checkMs = checkMs;
    this.listener = listener;
  }

  public boolean isLeader() {
    return leader;
  }

  /** The current leader's {@code {id, url}}, if any. */
  public Future<Optional<JsonObject>> leader() {
    return consul.getValue(ConsulKeys.LEADER).map(kv -> {
      if (kv == null || !kv.isPresent() || kv.getSession() == null || kv.getValue() == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(new JsonObject(kv.getValue()));
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    });
  }

  /** Makes the first attempt (so a lone registry is leader when this completes) and keeps trying. */
  public Future<Void> start() {
    return round().transform(ar -> {
      schedule();
      return Future.succeededFuture();
    });
  }

  private void schedule() {
    if (!stopped) {
      timer = vertx.setTimer(checkMs, t -> round().onComplete(ar -> schedule()));
    }
  }

  private Future<Void> round() {
    return ensureSession().compose(s -> leader ? verify(s) : acquire(s)).recover(e -> {
      Throwable why = access.explain(e);
      LOG.warn("leader lock: {}", why instanceof ConsulRefusedException ? why.getMessage() : why.toString());
      if (leader) {
        setLeader(false);
      }
      session = null;
      return Future.succeededFuture();
    });
  }

  private Future<String> ensureSession() {
    if (session != null) {
      if (System.currentTimeMillis() - lastRenew < ttlSeconds * 1000 / 3) {
        return Future.succeededFuture(session);
      }
      return consul.renewSession(session).map(s -> {
        lastRenew = System.currentTimeMillis();
        return session;
      });
    }
    return consul.createSessionWithOptions(new SessionOptions().setName("baton-registry " + self.getString("id"))
        .setTtl(ttlSeconds).setLockDelay(0).setBehavior(SessionBehavior.DELETE)).map(s -> {
          session = s;
          lastRenew = System.currentTimeMillis();
          return s;
        });
  }

  private Future<Void> acquire(String s) {
    return consul.putValueWithOptions(ConsulKeys.LEADER, self.encode(), new KeyValueOptions().setAcquireSession(s))
        .compose(ok -> {
          if (ok) {
            setLeader(true);
            return Future.succeededFuture();
          }
          return consul.getValue(ConsulKeys.LEADER).compose(kv -> {
            boolean ours = kv != null && kv.isPresent() && kv.getValue() != null && kv.getSession() != null
                && !kv.getSession().equals(s) && self.getString("id").equals(idOf(kv.getValue()));
            if (!ours) {
              return Future.succeededFuture();
            }
            LOG.info("leader lock: taking over the stale lock of a previous process with id {}", self.getString("id"));
            return consul.destroySession(kv.getSession()).compose(v -> acquire(s));
          });
        });
  }

  private Future<Void> verify(String s) {
    return consul.getValue(ConsulKeys.LEADER).map(kv -> {
      if (kv == null || !kv.isPresent() || !s.equals(kv.getSession())) {
        setLeader(false);
      }
      return null;
    });
  }

  private static String idOf(String value) {
    try {
      return new JsonObject(value).getString("id");
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void setLeader(boolean now) {
    if (now == leader) {
      return;
    }
    leader = now;
    LOG.info(now ? "leader lock: this registry is the leader" : "leader lock: leadership lost");
    if (now) {
      listener.gained();
    } else {
      listener.lost();
    }
  }

  /** Destroys the session: Consul deletes the key it holds (behaviour delete), so another registry can lead at once. */
  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    if (session == null) {
      return Future.succeededFuture();
    }
    return consul.destroySession(session).recover(e -> Future.succeededFuture()).onComplete(ar -> setLeader(false));
  }
}
