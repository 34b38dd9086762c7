package dev.baton.registry.group;

import dev.baton.common.model.GroupPhase;
import dev.baton.common.model.Release;
import dev.baton.common.model.ReleaseGroup;
import dev.baton.common.model.ReleasePhase;
import dev.baton.registry.release.ReleaseState;
import dev.baton.registry.release.group.GroupView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A release group's phase, message and history, derived from its members (docs/registry-api.md, "Release groups").
 * Pure: the group as stored and its members as they are now give the group to store, with one history entry per
 * change of a member seen since (a step, a pause, an abort, an end) and one when the group's own phase changes.
 *
 * <p>The phase: SUCCEEDED when every member succeeded; once every member ended, FAILED when one failed, else
 * ABORTED; PAUSED while every running member is paused or waits for the group and one is paused; else PROGRESSING
 * (aborting included: the message says so).
 */
public final class GroupHistory {

  private GroupHistory() {
  }

  /** {@code g} after seeing {@code members} (in the group's order) at {@code at}; the same instance when nothing changed. */
  public static ReleaseGroup next(ReleaseGroup g, List<Release> members, String at) {
    Map<String, ReleaseGroup.Seen> before = new HashMap<>();
    g.seen().forEach(s -> before.put(s.release(), s));
    String prefix = "group " + g.id() + ": ";
    List<ReleaseGroup.Entry> entries = new ArrayList<>();
    List<ReleaseGroup.Seen> now = new ArrayList<>();
    GroupPhase phase = phase(members);
    for (Release m : members) {
      ReleaseGroup.Seen s = seen(m);
      now.add(s);
      // A member never seen (a record written without it) is taken as created: its changes since are told.
      ReleaseGroup.Seen b = before.getOrDefault(m.id(), new ReleaseGroup.Seen(m.id(), ReleasePhase.PENDING, 0, -1,
          null));
      if (b.equals(s)) {
        continue;
      }
      String change = change(b, s, m, prefix);
      if (change != null) {
        entries.add(new ReleaseGroup.Entry(at, phase, m.app(), m.app() + " " + change));
      }
    }
    String message = message(g, members, phase, prefix);
    if (phase != g.phase()) {
      entries.add(new ReleaseGroup.Entry(at, phase, null, message));
    }
    if (entries.isEmpty() && phase == g.phase() && message.equals(g.message()) && now.equals(g.seen())) {
      return g;
    }
    return g.next(phase, message, entries, now);
  }

  static ReleaseGroup.Seen seen(Release m) {
    return new ReleaseGroup.Seen(m.id(), m.phase(), m.step(), m.group() == null ? -1 : m.group().heldAt(),
        ReleaseState.of(m).abort().orElse(null));
  }

  private static String change(ReleaseGroup.Seen b, ReleaseGroup.Seen s, Release m, String prefix) {
    if (s.phase().isTerminal() && s.phase() != b.phase()) {
      return s.phase() + ": " + m.message();
    }
    if (s.abort() != null && b.abort() == null) {
      return s.abort().startsWith(prefix) ? "aborting with the group" : "aborting: " + s.abort();
    }
    if (s.abort() != null) {
      return null;
    }
    if (s.phase() != b.phase() && (s.phase() == ReleasePhase.PAUSED || b.phase() == ReleasePhase.PAUSED)) {
      return s.phase().name().toLowerCase(Locale.ROOT) + ": " + m.message();
    }
    if (s.step() != b.step()) {
      return s.step() >= GroupView.Member.of(m).steps() ? "promoting" : "at step " + label(m, s.step());
    }
    if (s.heldAt() == s.step() && b.heldAt() != s.step()) {
      return "finished step " + label(m, s.step()) + ", waiting for the group";
    }
    return null;
  }

  private static String label(Release m, int step) {
    int n = GroupView.Member.of(m).steps();
    return Math.min(step, n - 1) + 1 + "/" + n;
  }

  static GroupPhase phase(List<Release> members) {
    boolean allEnded = members.stream().allMatch(m -> m.phase().isTerminal());
    if (allEnded) {
      return members.stream().allMatch(m -> m.phase() == ReleasePhase.SUCCEEDED) ? GroupPhase.SUCCEEDED
          : members.stream().anyMatch(m -> m.phase() == ReleasePhase.FAILED) ? GroupPhase.FAILED : GroupPhase.ABORTED;
    }
    if (members.stream().anyMatch(m -> GroupView.Member.of(m).failure() != null)) {
      return GroupPhase.PROGRESSING;
    }
    List<Release> running = members.stream().filter(m -> !m.phase().isTerminal()).toList();
    boolean onePaused = running.stream().anyMatch(m -> m.phase() == ReleasePhase.PAUSED);
    boolean allWait = running.stream().allMatch(m -> m.phase() == ReleasePhase.PAUSED
        || m.group() != null && m.group().heldAt(m.step()));
    return onePaused && allWait ? GroupPhase.PAUSED : GroupPhase.PROGRESSING;
  }

  private static String message(ReleaseGroup g, List<Release> members, GroupPhase phase, String prefix) {
    if (phase == GroupPhase.SUCCEEDED) {
      return "every member succeeded: " + String.join(", ", members.stream().map(m -> m.app() + " " + m.toVersion())
          .toList());
    }
    String cause = cause(members, prefix);
    if (cause != null) {
      return (phase.isTerminal() ? phase.name().toLowerCase(Locale.ROOT) : "aborting") + ": " + cause;
    }
    List<String> parts = new ArrayList<>();
    for (Release m : members) {
      GroupView.Member v = GroupView.Member.of(m);
      String state = m.phase().isTerminal() || m.phase() == ReleasePhase.PENDING ? m.phase().name()
          : m.phase() == ReleasePhase.PAUSED ? "paused" : v.heldAt() == v.step() ? "waiting" : "running";
      parts.add(m.app() + " " + (v.steps() > 1 ? "step " + label(m, m.step()) + " " : "") + state);
    }
    return (phase == GroupPhase.PAUSED ? "paused: " : "") + String.join(", ", parts);
  }

  /** The member that brought the group down and why, the one that did not just follow the group first. */
  static String cause(List<Release> members, String prefix) {
    String followed = null;
    for (Release m : members) {
      GroupView.Member v = GroupView.Member.of(m);
      String f = v.failure();
      if (f == null) {
        continue;
      }
      if (v.abort() != null && v.abort().startsWith(prefix)) {
        followed = followed != null ? followed : v.abort().substring(prefix.length());
        continue;
      }
      return "member " + m.app() + " " + f;
    }
    return followed;
  }
}
