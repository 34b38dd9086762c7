package dev.baton.registry.release;

import dev.baton.common.model.Release;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A release's progress, typed (docs/ARCHITECTURE.md, "Typed release state"): what every strategy keeps
 * ({@link CommonState}), and what rolling in place ({@link InPlaceState}), canary ({@link CanaryState}) and blue-green
 * ({@link BlueGreenState}) keep, the bake's ({@link BakeState}, null when the release has none) and the gates' state
 * ({@link GateState}, {@link GateProgress}). {@code others} holds
 * the progress keys this version has no record for, kept as they are. {@link ProgressCodec} reads it from and writes it to
 * {@code Release.progress} with the keys and shapes of {@link Progress}, so the stored JSON and the API's
 * {@code progress} object are what they were, a release stored by an earlier version loads, and a key this version
 * does not know survives a round trip. Immutable: planners change a release through {@code with...}, which returns a
 * new {@link Release}.
 */
public record ReleaseState(CommonState common, InPlaceState inPlace, CanaryState canary, BlueGreenState blueGreen,
                           BakeState bake, GateState.All gates, JsonObject others) {

  public ReleaseState {
    others = others == null ? new JsonObject() : others.copy();
  }

  /** The typed progress of {@code r}. */
  public static ReleaseState of(Release r) {
    return ProgressCodec.read(r.progress());
  }

  /** {@code r} with this progress ({@code r} itself when nothing changed); keys left unchanged keep their JSON. */
  public Release applyTo(Release r) {
    JsonObject p = ProgressCodec.merge(r.progress(), this);
    return p.equals(r.progress()) ? r : r.withProgress(p);
  }

  /** The reason the release is being rolled back; present = aborting. */
  public Optional<String> abort() {
    return common.abort();
  }

  public boolean aborting() {
    return common.abortReason() != null;
  }

  public ReleaseState withCommon(UnaryOperator<CommonState> change) {
    return new ReleaseState(change.apply(common), inPlace, canary, blueGreen, bake, gates, others);
  }

  public ReleaseState withInPlace(UnaryOperator<InPlaceState> change) {
    return new ReleaseState(common, change.apply(inPlace), canary, blueGreen, bake, gates, others);
  }

  public ReleaseState withCanary(UnaryOperator<CanaryState> change) {
    return new ReleaseState(common, inPlace, change.apply(canary), blueGreen, bake, gates, others);
  }

  public ReleaseState withBlueGreen(UnaryOperator<BlueGreenState> change) {
    return new ReleaseState(common, inPlace, canary, change.apply(blueGreen), bake, gates, others);
  }

  public ReleaseState withGates(UnaryOperator<GateState.All> change) {
    return new ReleaseState(common, inPlace, canary, blueGreen, bake, change.apply(gates), others);
  }

  /** {@code r} with its common state changed. */
  public static Release withCommon(Release r, UnaryOperator<CommonState> change) {
    return of(r).withCommon(change).applyTo(r);
  }

  /** {@code r} with its in-place rolling state changed. */
  public static Release withInPlace(Release r, UnaryOperator<InPlaceState> change) {
    return of(r).withInPlace(change).applyTo(r);
  }

  /** {@code r} with its canary state changed. */
  public static Release withCanary(Release r, UnaryOperator<CanaryState> change) {
    return of(r).withCanary(change).applyTo(r);
  }

  /** This state with the bake's replaced (null: none). */
  public ReleaseState withBake(BakeState next) {
    return new ReleaseState(common, inPlace, canary, blueGreen, next, gates, others);
  }

  /** {@code r} with its bake's state replaced. */
  public static Release withBake(Release r, BakeState next) {
    return of(r).withBake(next).applyTo(r);
  }

  /** {@code r} with its gates' state changed. */
  public static Release withGates(Release r, UnaryOperator<GateState.All> change) {
    return of(r).withGates(change).applyTo(r);
  }

  /** {@code r} with its blue-green state changed. */
  public static Release withBlueGreen(Release r, UnaryOperator<BlueGreenState> change) {
    return of(r).withBlueGreen(change).applyTo(r);
  }
}
