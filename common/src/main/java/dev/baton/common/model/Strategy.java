package dev.baton.common.model;

import io.vertx.core.json.JsonObject;

/**
 * A release strategy with its parameters; one record per strategy, dispatched on {@code type}.
 * JSON shapes are those of DESIGN.md §9.
 */
public sealed interface Strategy permits RollingStrategy, BlueGreenStrategy, CanaryStrategy {

  String type();

  JsonObject toJson();

  /** The deadline and minimum healthy time this release runs with ({@link StrategyTiming}). */
  StrategyTiming timing();

  /** Seconds a new instance must stay ready before it counts (0: at once). */
  default int minHealthySeconds() {
    return timing().minHealthySeconds();
  }

  /** This release's own progress deadline; null: the registry's setting. */
  default Integer progressDeadlineSeconds() {
    return timing().progressDeadlineSeconds();
  }

  static Strategy fromJson(JsonObject json) {
    Fields f = Fields.of(json);
    Strategy s = read(f);
    f.throwIfInvalid();
    return s;
  }

  /** Reads a strategy, recording errors in {@code f}; null when invalid. */
  static Strategy read(Fields f) {
    String type = f.string("type", true);
    if (type == null) {
      return null;
    }
    return switch (type) {
      case RollingStrategy.TYPE -> RollingStrategy.read(f);
      case BlueGreenStrategy.TYPE -> BlueGreenStrategy.read(f);
      case CanaryStrategy.TYPE -> CanaryStrategy.read(f);
      default -> {
        f.error("type", "'" + type + "' is not a strategy; use rolling, blue-green or canary");
        yield null;
      }
    };
  }
}
