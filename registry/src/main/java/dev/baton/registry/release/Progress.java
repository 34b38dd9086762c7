package dev.baton.registry.release;

/**
 * Keys of {@code Release.progress}, the planners' persisted bookkeeping. Everything a planner needs to
 * carry on after a registry restart lives here, never only in memory. Planners read and write these through the
 * typed {@link ReleaseState}; {@link ProgressCodec} keeps each key's JSON shape as described here.
 */
public final class Progress {

  /** Reason the release is being rolled back; present = aborting. */
  public static final String ABORT = "abort";
  /**
   * Canary, gradual abort: {@code {weights, holds, index, since?, path}}, the weights still to step back to and how
   * long each is held ({@link GradualAbort}); present without {@link #ABORT} = stepping down.
   */
  public static final String STEP_DOWN = "stepDown";
  /** Operator promoted: true (blue-green) or the canary step index that was promoted. */
  public static final String PROMOTE = "promote";
  /** Operator paused the release: nothing is applied until resume. */
  public static final String PAUSED = "paused";
  /** Epoch ms of the operator's pause; resume moves {@link #STEP_STARTED_AT} on by the time paused. */
  public static final String PAUSED_AT = "pausedAt";
  /** Instance id -> epoch ms when it was first seen ready (minHealthySeconds). */
  public static final String HEALTHY_SINCE = "healthySince";
  /** In-place rolling: the old instances being replaced, {@code [{agent, port, old}]}. */
  public static final String SLOTS = "slots";
  /** Canary: epoch ms when the current step's route was in force. */
  public static final String STEP_STARTED_AT = "stepStartedAt";
  /** Canary: analysis bookkeeping {@code {lastAt, failures, stepPasses, inconclusive, last, canaryReady, warmUntil}}. */
  public static final String ANALYSIS = "analysis";
  /**
   * Canary: every analysis interval's numbers and verdict, oldest first, bounded (docs/registry-api.md, "Canary
   * analysis"); a release persisted without it has none yet.
   */
  public static final String ANALYSIS_HISTORY = "analysisHistory";
  /** Blue-green: epoch ms when every green instance was ready and the preview route in force. */
  public static final String GREEN_READY_AT = "greenReadyAt";
  /** Blue-green: epoch ms of the promotion (blue stays warm from there). */
  public static final String PROMOTED_AT = "promotedAt";
  /**
   * Blue-green, once SUCCEEDED: epoch ms until which blue's instances stay warm; the reconciler stops them after it
   * (docs/ARCHITECTURE.md, Registry, "Blue-green is done when traffic is").
   */
  public static final String BLUE_WARM_UNTIL = "blueWarmUntil";
  /** Epoch ms since when the release has been blocked on the world (progress deadline). */
  public static final String BLOCKED_SINCE = "blockedSince";
  /** Failed attempts to restore the previous version while aborting. */
  public static final String ROLLBACK_FAILURES = "rollbackFailures";
  /** In-place rolling: {@code "agent:port"} an agent refused to reuse; the slot starts on any port of that agent. */
  public static final String PORT_BUSY = "portBusy";
  /** In-place rolling: ids of new instances that closed a slot. */
  public static final String REPLACED = "replaced";
  /** Marks a release created by {@code POST /v1/apps/{app}/rollback}. */
  public static final String ROLLBACK_OF = "rollbackOf";

  private Progress() {
  }
}
