package dev.baton.registry.release;

/**
 * A blue-green release's bookkeeping in {@code Release.progress} ({@link BlueGreenPlanner}): when every green instance
 * was ready behind the preview rule ({@code greenReadyAt}), whether the operator promoted ({@code promote: true}),
 * when the promotion happened ({@code promotedAt}; blue stays warm from there), and, once SUCCEEDED, until when blue's
 * instances stay warm ({@code blueWarmUntil}; the reconciler stops them after it). Null: not yet.
 */
public record BlueGreenState(Long greenReadyAt, boolean promote, Long promotedAt, Long blueWarmUntil) {

  static final BlueGreenState NONE = new BlueGreenState(null, false, null, null);

  public BlueGreenState withGreenReadyAt(Long at) {
    return new BlueGreenState(at, promote, promotedAt, blueWarmUntil);
  }

  public BlueGreenState withPromote(boolean promoted) {
    return new BlueGreenState(greenReadyAt, promoted, promotedAt, blueWarmUntil);
  }

  public BlueGreenState withPromotedAt(Long at) {
    return new BlueGreenState(greenReadyAt, promote, at, blueWarmUntil);
  }

  public BlueGreenState withBlueWarmUntil(Long until) {
    return new BlueGreenState(greenReadyAt, promote, promotedAt, until);
  }
}
