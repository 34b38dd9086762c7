package dev.baton.common.model;

import java.util.List;

/** Weights are percentages 0–100 with at most two decimals; a split sums to exactly 100. */
final class Weights {

  private Weights() {
  }

  static Double read(Fields f, String field, boolean required) {
    Double w = f.number(field, required, 0, 100);
    if (w != null && Math.abs(w * 100 - Math.rint(w * 100)) > 1e-6) {
      f.error(field, "must have at most two decimals, got " + w);
      return null;
    }
    return w;
  }

  static boolean sumsTo100(List<WeightedVersion> split) {
    return split.stream().mapToInt(WeightedVersion::basisPoints).sum() == 10_000;
  }
}
