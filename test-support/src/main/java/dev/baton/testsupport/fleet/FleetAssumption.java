package dev.baton.testsupport.fleet;

import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Skips a fleet test where the fleet cannot run (not root, no {@code ip netns}, no HAProxy), loudly: a banner on
 * stderr says SKIPPED and why, so a green build without root never passes for a fleet that ran.
 */
public final class FleetAssumption {

  private FleetAssumption() {
  }

  /** Aborts the calling test (JUnit assumption) with a banner when the fleet cannot run here. */
  public static void assumeFleetCanRun() {
    Optional<String> why = Fleet.unavailableBecause();
    if (why.isPresent()) {
      String line = "*".repeat(100);
      System.err.println("\n" + line + "\n*** SKIPPED: the fleet scenarios did not run: " + why.get()
          + "\n" + line + "\n");
    }
    Assumptions.assumeTrue(why.isEmpty(), () -> "SKIPPED: the fleet cannot run here: " + why.orElse(""));
  }
}
