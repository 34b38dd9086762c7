package dev.baton.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.gateway.routing.Ejection;
import dev.baton.gateway.routing.InstanceInfo;
import dev.baton.gateway.routing.Upstream;
import dev.baton.gateway.routing.UpstreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The list of an event loop's requests waiting for a response head: joining, leaving, and a lost host's walk. */
class AwaitingHeadsTest {

  private static Upstream upstream(String id, int port) {
    return new Upstream(new InstanceInfo(id, "shop", "1.0.0", "127.0.0.1", port), Ejection.ofMillis(5, 1_000, 10_000),
        UpstreamObserver.NONE);
  }

  private final Upstream a = upstream("a", 1);
  private final Upstream b = upstream("b", 2);
  private final AwaitingHeads list = new AwaitingHeads();
  private final List<String> told = new ArrayList<>();

  /** A request that, told of a lost host, retries once on {@code retryOn} (joining the list again) if it has one. */
  private final class Request extends AwaitingHeads.Waiter {
    final String name;
    Upstream on;
    Upstream retryOn;

    Request(String name, Upstream on, Upstream retryOn) {
      this.name = name;
      this.on = on;
      this.retryOn = retryOn;
    }

    @Override
    Upstream awaited() {
      return on;
    }

    @Override
    void hostLost(Upstream lost) {
      told.add(name + "@" + lost.info().id());
      if (retryOn != null) {
        on = retryOn;
        retryOn = null; // one retry, as Retry allows
        list.add(this);
      }
    }
  }

  @Test
  void aLostHostTellsOnlyItsWaitersOnceAndARetryWaitsAgain() {
    Request r1 = new Request("r1", b, a);
    Request r2 = new Request("r2", a, null);
    Request r3 = new Request("r3", b, null);
    Request r4 = new Request("r4", a, null);
    for (Request r : List.of(r1, r2, r3, r4)) {
      list.add(r);
    }
    list.add(r2); // already waiting: no second entry
    assertThat(list.size()).isEqualTo(4);

    assertThat(list.hostLost(Set.of(b))).isEqualTo(2);

    assertThat(told).containsExactly("r1@b", "r3@b");
    assertThat(list.size()).as("r2 and r4 still wait on a, r1 now too").isEqualTo(3);
    assertThat(list.hostLost(Set.of(b))).isZero();
    assertThat(list.hostLost(Set.of(a))).isEqualTo(3);
    assertThat(told).containsExactly("r1@b", "r3@b", "r2@a", "r4@a", "r1@a");
    assertThat(list.size()).isZero();
  }

  @Test
  void waitersLeaveFromAnyPlaceAndLeavingTwiceChangesNothing() {
    List<Request> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Request r = new Request("r" + i, a, null);
      all.add(r);
      list.add(r);
    }
    list.remove(all.get(2)); // middle
    list.remove(all.get(0)); // head
    list.remove(all.get(4)); // tail
    list.remove(all.get(4));
    list.remove(new Request("never", a, null));
    assertThat(list.size()).isEqualTo(2);

    assertThat(list.hostLost(Set.of(a))).isEqualTo(2);

    assertThat(told).containsExactly("r1@a", "r3@a");
    list.add(all.get(0));
    assertThat(list.hostLost(Set.of(a))).isEqualTo(1);
  }
}
