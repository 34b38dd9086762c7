package dev.baton.agent.instance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.common.model.Instance;
import dev.baton.common.model.InstanceState;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndedInstancesTest {

  static Instance i(String id, InstanceState state) {
    return new Instance(id, "shop", "1.0.0", 20000, 0, state, "2026-11-25T00:00:00Z", "");
  }

  @Test
  void theOldestEndedInstancesBeyondTheLimitAreForgotten() {
    List<Instance> oldestFirst = List.of(i("a", InstanceState.STOPPED), i("b", InstanceState.HEALTHY),
        i("c", InstanceState.FAILED), i("d", InstanceState.STOPPED), i("e", InstanceState.DRAINING),
        i("f", InstanceState.STOPPED));
    assertThat(InstanceService.ended(oldestFirst, 2)).containsExactly("a", "c");
    assertThat(InstanceService.ended(oldestFirst, 0)).containsExactly("a", "c", "d", "f");
    assertThat(InstanceService.ended(oldestFirst, 4)).isEmpty();
    assertThat(InstanceService.ended(oldestFirst, 50)).isEmpty();
  }

  @Test
  void liveInstancesAreNeverForgotten() {
    List<Instance> live = List.of(i("a", InstanceState.STARTING), i("b", InstanceState.HEALTHY),
        i("c", InstanceState.DRAINING));
    assertThat(InstanceService.ended(live, 0)).isEmpty();
  }
}
