package dev.baton.registry.release;

import dev.baton.common.model.Release;
import dev.baton.common.model.ReleasePhase;
import dev.baton.common.model.RollingStrategy;
import dev.baton.registry.release.InPlaceState.Slot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Rolling, in place (fixed servers): up to {@code maxUnavailable} slots at a time; a slot takes one old
 * instance out (the agent deregisters and drains it), stops it, starts the new version on the same
 * agent and port, and is done once that instance has been ready {@code minHealthySeconds}. Slots are
 * persisted before anything is stopped, so a restarted registry finishes the slot it was in. A slot whose old
 * instance is gone waits while its agent does not answer, and is dropped once the agent's host is lost: the missing
 * instance is then started on a live agent at the end (issue 11: a worker host killed mid-release).
 */
final class RollingInPlacePlanner {

  private RollingInPlacePlanner() {
  }

  static Decision plan(PlanContext ctx, RollingStrategy s) {
    Release r = Steps.trackHealthy(ctx, ctx.release(), ctx.release().toVersion());
    String to = r.toVersion();
    int n = ctx.desired();
    Observed o = ctx.observed();
    List<ObservedInstance> matured = Steps.matured(ctx, r, to, s.minHealthySeconds());

    InPlaceState state = ReleaseState.of(r).inPlace();
    List<Slot> slots = state.slots();
    // Route by the ready capacity outside the slots: an instance taken out gets no traffic before it stops.
    Set<String> takenOut = new HashSet<>();
    slots.forEach(x -> takenOut.add(x.old()));
    Map<String, Integer> capacity = new TreeMap<>();
    o.activeExcept(to).stream().filter(i -> i.ready() && !takenOut.contains(i.id()))
        .forEach(i -> capacity.merge(i.version(), 1, Integer::sum));
    if (!matured.isEmpty()) {
      capacity.put(to, matured.size());
    }
    if (!capacity.isEmpty()) {
      Action route = Steps.route(ctx, RouteSplits.proportional(ctx.app(), capacity));
      if (route != null) {
        return Decision.act(Steps.progressing(ctx, r, "routing by ready capacity: " + capacity), route);
      }
    }
    List<Slot> open = new ArrayList<>();
    List<String> replaced = state.replaced();
    List<String> closed = new ArrayList<>(replaced);
    List<Action> actions = new ArrayList<>();
    for (Slot slot : slots) {
      String agent = slot.agent();
      int port = slot.port();
      boolean anyPort = state.busy(agent, port);
      Optional<ObservedInstance> oldOne = o.instances().stream()
          .filter(i -> i.id().equals(slot.old()) && i.active()).findFirst();
      Optional<ObservedInstance> newOne = o.active(to).stream()
          .filter(i -> i.agentId().equals(agent) && !replaced.contains(i.id()))
          .filter(i -> i.port() == port || anyPort && !fixedPortOfAnotherSlot(slots, slot, i)).findFirst();
      if (oldOne.isPresent()) {
        actions.add(new Action.StopInstance(agent, oldOne.get().id(), oldOne.get().version()));
        open.add(slot);
      } else if (newOne.isEmpty() && !o.liveAgents().contains(agent)) {
        if (o.suspectAgents().contains(agent)) {
          open.add(slot); // the agent does not answer: wait until it does, or until its host is lost
        } // else its host is lost: the slot is dropped and the instance started on a live agent at the end
      } else if (newOne.isEmpty()) {
        actions.add(new Action.StartInstance(agent, to, anyPort ? null : port));
        open.add(slot);
      } else if (!matured.contains(newOne.get())) {
        open.add(slot);
      } else {
        closed.add(newOne.get().id());
      }
    }
    if (!open.equals(slots)) {
      return Decision.idle(ReleaseState.withInPlace(r, p -> p.withSlots(open).withReplaced(closed)));
    }
    if (!actions.isEmpty()) {
      return Decision.act(Steps.progressing(ctx, r, "in place: replacing " + open.size() + " instance(s) with " + to
          + ", " + matured.size() + "/" + n + " done"), actions);
    }

    List<ObservedInstance> candidates = new ArrayList<>(o.activeExcept(to));
    candidates.removeIf(i -> takenOut.contains(i.id()));
    candidates.sort(Comparator.comparing(ObservedInstance::ready).thenComparing(ObservedInstance::id));
    int free = s.maxUnavailable() - open.size();
    if (free > 0 && !candidates.isEmpty()) {
      List<Slot> next = new ArrayList<>(open);
      candidates.stream().limit(free).forEach(i -> next.add(new Slot(i.agentId(), i.port(), i.id())));
      return Decision.idle(Steps.progressing(ctx, ReleaseState.withInPlace(r, p -> p.withSlots(next)),
          "in place: taking " + (next.size() - open.size()) + " instance(s) of " + candidates.get(0).version()
              + " out for " + to));
    }
    if (candidates.isEmpty() && open.isEmpty()) {
      if (matured.size() >= n) {
        return Steps.finish(ctx, r, ReleasePhase.SUCCEEDED, n + " instance(s) of " + to + " serve 100% of traffic");
      }
      List<Action> up = Steps.scaleUp(ctx, to, n);
      if (!up.isEmpty()) {
        return Decision.act(Steps.progressing(ctx, r, "in place: starting " + up.size() + " more instance(s) of " + to
            + " to reach " + n), up);
      }
    }
    return Decision.blocked(Steps.progressing(ctx, r, "in place: waiting for " + to + " to be ready "
        + s.minHealthySeconds() + "s (" + matured.size() + "/" + n + ")"));
  }

  private static boolean fixedPortOfAnotherSlot(List<Slot> slots, Slot self, ObservedInstance i) {
    return slots.stream().anyMatch(x -> x != self && x.agent().equals(i.agentId()) && x.port() == i.port());
  }
}
