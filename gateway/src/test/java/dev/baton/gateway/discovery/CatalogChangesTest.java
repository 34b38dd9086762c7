package dev.baton.gateway.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A catalog change is accounted for by a health state answer with changed checks covering its index. */
class CatalogChangesTest {

  private static HealthState state(long index, long shopModified) {
    return HealthState.parse(new JsonArray(List.of(new JsonObject().put("Node", "a").put("CheckID", "service:shop-1")
        .put("ServiceName", "shop").put("ModifyIndex", shopModified))), index);
  }

  @Test
  void aChangeWithACheckAtItsIndexIsAccountedFor() {
    CatalogChanges c = new CatalogChanges(1000);
    c.catalogMoved(20, 0);
    assertThat(c.unaccounted(10, 0)).isFalse(); // the health state has not read that far yet
    assertThat(c.pending()).isTrue();
    c.stateRead(state(10, 10), state(20, 20));
    assertThat(c.unaccounted(20, 1)).isFalse();
    assertThat(c.pending()).isFalse();
  }

  @Test
  void aCheckChangedTwiceWithinOneAnswerStillAccountsForTheFirstChange() {
    CatalogChanges c = new CatalogChanges(1000);
    c.stateRead(state(10, 10), state(21, 21)); // registered at 19 (critical), passing at 21: one answer shows 21
    c.catalogMoved(19, 0);
    assertThat(c.unaccounted(21, 1)).isFalse();
  }

  @Test
  void aChangeTheHealthStateReadPastWithoutACheckIsNot() {
    CatalogChanges c = new CatalogChanges(1000);
    c.stateRead(state(10, 10), state(21, 10)); // the index moved, no check did
    c.catalogMoved(20, 0);
    assertThat(c.unaccounted(21, 1)).isTrue();
    assertThat(c.pending()).isFalse();
  }

  @Test
  void aChangeTheHealthStateNeverReachesIsNotAfterTheWait() {
    CatalogChanges c = new CatalogChanges(1000);
    c.catalogMoved(30, 0);
    assertThat(c.unaccounted(10, 999)).isFalse();
    assertThat(c.unaccounted(10, 1000)).isTrue();
  }
}
