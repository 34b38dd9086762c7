package dev.baton.common.model;

/**
 * The closed set of a release group's phases, derived from its members' (docs/registry-api.md, "Release groups");
 * the human reason lives in the group's {@code message}.
 */
public enum GroupPhase {
  PROGRESSING, PAUSED, SUCCEEDED, ABORTED, FAILED;

  public boolean isTerminal() {
    return this == SUCCEEDED || this == ABORTED || this == FAILED;
  }
}
