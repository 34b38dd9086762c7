package dev.baton.registry.release;

import dev.baton.common.model.Release;
import java.util.List;

/**
 * What a planner decided for one look at the world: the release as it should be persisted (before any
 * action runs), the actions to apply now (empty: nothing to do until the world changes), and whether
 * the release is {@code blocked} on the world (instances, gateways, traffic) rather than on a pause or
 * an operator, which is what the progress deadline measures.
 */
public record Decision(Release release, List<Action> actions, boolean blocked) {

  public Decision {
    actions = List.copyOf(actions);
  }

  public static Decision act(Release release, List<? extends Action> actions) {
    return new Decision(release, List.copyOf(actions), false);
  }

  public static Decision act(Release release, Action action) {
    return new Decision(release, List.of(action), false);
  }

  /** Nothing to do now because of a pause or an operator. */
  public static Decision idle(Release release) {
    return new Decision(release, List.of(), false);
  }

  /** Nothing to do now because the world has not caught up yet. */
  public static Decision blocked(Release release) {
    return new Decision(release, List.of(), true);
  }
}
