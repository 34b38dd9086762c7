package dev.baton.registry.release.group;

import dev.baton.common.model.BlueGreenStrategy;
import dev.baton.common.model.CanaryStrategy;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import dev.baton.registry.release.ReleaseState;
import java.util.List;

/**
 * What one member of a release group sees of the others (docs/registry-api.md, "Release groups"): each as a small
 * value taken from its persisted release, so a new leader builds it from KV alone.
 */
public record GroupView(String groupId, List<Member> others) {

  /** A release of no group. */
  public static final GroupView NONE = new GroupView(null, List.of());

  public GroupView {
    others = List.copyOf(others);
  }

  public boolean none() {
    return groupId == null;
  }

  /** The other members of {@code self}'s group among {@code members}. */
  public static GroupView of(String groupId, List<Release> members, String self) {
    return new GroupView(groupId, members.stream().filter(m -> !m.id().equals(self)).map(Member::of).toList());
  }

  /**
   * One member: its phase and step, the step it finished and waits at ({@code heldAt}), its promotion step (see
   * {@link #promotion}), its step count for messages, why it aborts (null: it does not), whether it steps down in a
   * gradual abort, and its message.
   */
  public record Member(String app, String release, ReleasePhase phase, int step, int heldAt, int promotion,
                       int steps, String kind, String abort, boolean steppingDown, String message) {

    public static Member of(Release r) {
      return new Member(r.app(), r.id(), r.phase(), r.step(), r.group() == null ? -1 : r.group().heldAt(),
          GroupView.promotion(r), GroupView.steps(r), GroupView.kind(r),
          ReleaseState.of(r).abort().orElse(null), ReleaseState.of(r).common().stepDown() != null, r.message());
    }

    /** True when the member finished its step {@code j} (or went past it); every member passed a step below 0. */
    public boolean passed(int j) {
      return j < 0 || phase == ReleasePhase.SUCCEEDED || step > j || step == j && heldAt == j;
    }

    /** Why it brings the group down, null when it does not (running, or succeeded). */
    public String failure() {
      if (phase == ReleasePhase.FAILED) {
        return "failed: " + message;
      }
      if (abort != null) {
        return (phase == ReleasePhase.ABORTED ? "aborted: " : "aborting: ") + abort;
      }
      if (phase == ReleasePhase.ABORTED) {
        return "aborted: " + message;
      }
      return steppingDown ? "aborting: stepping down in a gradual abort" : null;
    }
  }

  /**
   * The index of the step from which a release gives the new version all the traffic: a canary's first step at 100%
   * (its step count when none is), a blue-green's promotion (1); 0 for a rolling or first release, which has no
   * step below 100% to hold. Steps below it are the ones a group moves through together.
   */
  public static int promotion(Release r) {
    if (r.fromVersion() == null) {
      return 0;
    }
    if (r.strategy() instanceof CanaryStrategy c) {
      for (int i = 0; i < c.steps().size(); i++) {
        if (c.steps().get(i).weight() >= 100) {
          return i;
        }
      }
      return c.steps().size();
    }
    return r.strategy() instanceof BlueGreenStrategy ? 1 : 0;
  }

  static int steps(Release r) {
    return r.fromVersion() != null && r.strategy() instanceof CanaryStrategy c ? c.steps().size()
        : r.fromVersion() != null && r.strategy() instanceof BlueGreenStrategy ? 2 : 1;
  }

  static String kind(Release r) {
    return r.fromVersion() == null ? "first release" : r.strategy().type();
  }
}
