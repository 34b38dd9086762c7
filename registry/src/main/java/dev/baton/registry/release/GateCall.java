package dev.baton.registry.release;

import dev.baton.common.model.Gate;
import io.vertx.core.json.JsonObject;

/**
 * One HTTP call to a release's gate: {@code key} names the gate's state in {@code progress.gates} (point and index,
 * e.g. {@code step@2500#0}), {@code attempt} which ask it answers, {@code payload} the JSON body POSTed.
 */
public record GateCall(String releaseId, String key, Gate gate, int attempt, String where, JsonObject payload) {
}
