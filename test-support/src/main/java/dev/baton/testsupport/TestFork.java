package dev.baton.testsupport;

/**
 * Which of the build's concurrent test JVMs this is. A module that runs its integration tests in several forks at
 * once (failsafe {@code forkCount}) passes {@code -Dbaton.test.fork=${surefire.forkNumber}} in the plugin's
 * {@code argLine} and {@code -Dbaton.test.forks=N}; the port pools ({@link FreePorts}, the agents' instance ranges of
 * {@code stack.Stack}) then give each fork its own band, so two forks never pick the same port between a pick and
 * its bind. Without the properties this JVM is fork 1 of 1 and has every band.
 *
 * <p>The fork number must go in {@code argLine}: failsafe 3.5 sets it empty in {@code systemPropertyVariables},
 * and every fork then took fork 1's band (two agents were given one instance range, and one's instance answered
 * another's health probe). With several forks and no usable number, this refuses to choose rather than share.
 */
public final class TestFork {

  private TestFork() {
  }

  /** This JVM's fork, 1-based. */
  public static int number() {
    return number(System.getProperty("baton.test.fork"), count());
  }

  /** How many test JVMs run at once. */
  public static int count() {
    return Math.max(1, Integer.getInteger("baton.test.forks", 1));
  }

  /** This fork's share {@code [first, limit)} of {@code [first, limit)}. */
  public static int[] band(int first, int limit) {
    return band(first, limit, number(), count());
  }

  static int number(String raw, int count) {
    if (count == 1) {
      return 1;
    }
    try {
      int n = Integer.parseInt(raw == null ? "" : raw.trim());
      if (n >= 1 && n <= count) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below, with what was given
    }
    throw new IllegalStateException("baton.test.forks is " + count + " but baton.test.fork is '" + raw
        + "', not a number from 1 to " + count + ": put -Dbaton.test.fork=${surefire.forkNumber} in the test plugin's"
        + " argLine (docs/ARCHITECTURE.md, \"Testing\"), or run one fork (-Dbaton.it.forks=1)");
  }

  static int[] band(int first, int limit, int number, int count) {
    int size = (limit - first) / count;
    int start = first + (number - 1) * size;
    return new int[] {start, start + size};
  }
}
