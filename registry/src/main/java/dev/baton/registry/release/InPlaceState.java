package dev.baton.registry.release;

import java.util.ArrayList;
import java.util.List;

/**
 * A rolling in-place release's bookkeeping in {@code Release.progress} ({@link RollingInPlacePlanner}): the slots being
 * replaced ({@code slots}), the {@code "agent:port"} an agent refused to reuse ({@code portBusy}: that slot starts on
 * any port of the agent), and the new instances that closed a slot ({@code replaced}). Absent lists read empty.
 */
public record InPlaceState(List<Slot> slots, List<String> portBusy, List<String> replaced) {

  static final InPlaceState NONE = new InPlaceState(List.of(), List.of(), List.of());

  public InPlaceState {
    slots = List.copyOf(slots);
    portBusy = List.copyOf(portBusy);
    replaced = List.copyOf(replaced);
  }

  /** One old instance being replaced in place: its agent, its port, its id. */
  public record Slot(String agent, int port, String old) {
  }

  public boolean busy(String agent, int port) {
    return portBusy.contains(agent + ":" + port);
  }

  public InPlaceState withSlots(List<Slot> next) {
    return new InPlaceState(next, portBusy, replaced);
  }

  public InPlaceState withReplaced(List<String> next) {
    return new InPlaceState(slots, portBusy, next);
  }

  /** {@code "agent:port"} remembered as busy (once). */
  public InPlaceState withPortBusy(String agent, int port) {
    if (busy(agent, port)) {
      return this;
    }
    List<String> next = new ArrayList<>(portBusy);
    next.add(agent + ":" + port);
    return new InPlaceState(slots, next, replaced);
  }
}
