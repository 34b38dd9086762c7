package dev.baton.testsupport;

/**
 * Which of the build's concurrent test JVMs this is. A module that runs its integration tests in several forks at
 * once (failsafe {@code forkCount}) passes {@code -Dbaton.test.fork=${surefire.forkNumber}} and
 * {@code -Dbaton.test.forks=N}; the port pools ({@link FreePorts}, the agents' instance ranges of
 * {@code stack.Stack}) then give each fork its own band, so two forks never pick the same port between a pick and
 * its bind. Without the properties this JVM is fork 1 of 1 and has every band.
 */
public final class TestFork {

  private TestFork() {
  }

  /** This JVM's fork, 1-based. */
  public static int number() {
    return Math.max(1, Math.min(count(), Integer.getInteger("baton.test.fork", 1)));
  }

  /** How many test JVMs run at once. */
  public static int count() {
    return Math.max(1, Integer.getInteger("baton.test.forks", 1));
  }

  /** This fork's share {@code [first, limit)} of {@code [first, limit)}. */
  public static int[] band(int first, int limit) {
    int size = (limit - first) / count();
    int start = first + (number() - 1) * size;
    return new int[] {start, start + size};
  }
}
