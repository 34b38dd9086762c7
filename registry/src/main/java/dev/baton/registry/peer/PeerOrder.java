package dev.baton.registry.peer;

import java.util.ArrayList;
import java.util.List;

/** The order peers are asked for bytes in: the one named (the registry that asked us to hold them) first. */
final class PeerOrder {

  private PeerOrder() {
  }

  static List<Peer> of(List<Peer> live, String preferred) {
    List<Peer> out = new ArrayList<>(live.stream().filter(p -> p.id().equals(preferred)).toList());
    live.stream().filter(p -> !p.id().equals(preferred)).forEach(out::add);
    return out;
  }
}
