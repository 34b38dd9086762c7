package dev.baton.gateway.discovery;

import dev.baton.common.model.RoutePolicy;
import java.util.HashMap;
import java.util.Map;

/**
 * Route revisions the registry published on the bus ({@code baton.gateway.routes.published}) that Consul's answer
 * to the KV loop has not shown yet (docs/ARCHITECTURE.md, "Control-plane latency"). The registry publishes a policy
 * only after its write to KV succeeded, so a published revision is one KV holds or held; the gateway applies it
 * without waiting for its blocking read to wake. KV stays the truth:
 * <ul>
 *   <li>a published policy is taken only when its revision is above the one in force (KV's, or one published
 *       before), so a late or repeated message never moves a route back;</li>
 *   <li>it is forgotten as soon as a KV read holds that revision or a later one, and an answer Consul sent before
 *       the write (still in flight when the message came) does not undo it;</li>
 *   <li>one that KV has not shown within {@link #EXPIRES_MS} (the key was deleted or rewritten since, and the
 *       publish raced it) is dropped, and KV's value is back in force.</li>
 * </ul>
 * Confined to the watcher's context, like the rest of its state.
 */
final class RoutesAhead {

  /** How long a published revision may stay ahead of KV before KV's value is taken again. */
  static final long EXPIRES_MS = 10_000;

  private final Map<String, RoutePolicy> ahead = new HashMap<>();

  /**
   * Takes {@code published} if it is newer than the policy in force for its app ({@code kv}'s, or one published
   * before); returns whether it was taken, which changes the app's route.
   */
  boolean offer(RoutePolicy published, Map<String, RoutePolicy> kv) {
    RoutePolicy current = ahead.getOrDefault(published.app(), kv.get(published.app()));
    if (current != null && current.revision() >= published.revision()) {
      return false;
    }
    ahead.put(published.app(), published);
    return true;
  }

  /** Forgets the published revisions that {@code kv} (a new read) holds, or has passed. */
  void caughtUp(Map<String, RoutePolicy> kv) {
    if (ahead.isEmpty()) {
      return;
    }
    ahead.entrySet().removeIf(e -> {
      RoutePolicy read = kv.get(e.getKey());
      return read != null && read.revision() >= e.getValue().revision();
    });
  }

  /** Drops {@code app}'s published revision if it is still {@code revision} (KV never showed it); whether it was. */
  boolean expire(String app, long revision) {
    RoutePolicy p = ahead.get(app);
    if (p == null || p.revision() != revision) {
      return false;
    }
    ahead.remove(app);
    return true;
  }

  /** The policies in force: {@code kv}'s, with the published revisions ahead of it in their place. */
  Map<String, RoutePolicy> over(Map<String, RoutePolicy> kv) {
    if (ahead.isEmpty()) {
      return kv;
    }
    Map<String, RoutePolicy> merged = new HashMap<>(kv);
    merged.putAll(ahead);
    return merged;
  }

  int size() {
    return ahead.size();
  }
}
