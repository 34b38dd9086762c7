package dev.baton.common.model;

/** The closed set of release phases (DESIGN.md §9); the human reason lives in {@code Release.message}. */
public enum ReleasePhase {
  PENDING, PROGRESSING, PAUSED, SUCCEEDED, ABORTED, FAILED;

  /** True when nothing more will happen to the release. */
  public boolean isTerminal() {
    return this == SUCCEEDED || this == ABORTED || this == FAILED;
  }
}
