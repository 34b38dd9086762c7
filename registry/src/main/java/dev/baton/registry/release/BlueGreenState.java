package dev.baton.registry.release;

/**
 * A blue-green release's bookkeeping in {@code Release.progress} ({@link BlueGreenPlanner}): when every green instance
 * was ready behind the preview rule ({@code greenReadyAt}), whether the operator promoted ({@code promote: true}), and
 * when the promotion happened ({@code promotedAt}; blue stays warm from there). Null: not yet.
 */
public record BlueGreenState(Long greenReadyAt, boolean promote, Long promotedAt) {

  static final BlueGreenState NONE = new BlueGreenState(null, false, null);

  public BlueGreenState withGreenReadyAt(Long at) {
    return new BlueGreenState(at, promote, promotedAt);
  }

  public BlueGreenState withPromote(boolean promoted) {
    return new BlueGreenState(greenReadyAt, promoted, promotedAt);
  }

  public BlueGreenState withPromotedAt(Long at) {
    return new BlueGreenState(greenReadyAt, promote, at);
  }
}
