package dev.baton.registry.release;

import java.util.Map;

/**
 * The answers of an analysis's Prometheus queries at one moment, by query name, as the controller fetched them before
 * a look at the release ({@code PrometheusProbe}); planners judge them with {@link PrometheusAnalysis}.
 *
 * @param atMs when the queries were asked (the look's clock); a window counts only answers asked inside it
 */
public record PrometheusReadings(long atMs, Map<String, Reading> byName) {

  /** No query asked. */
  public static final PrometheusReadings NONE = new PrometheusReadings(Long.MIN_VALUE, Map.of());

  public PrometheusReadings {
    byName = Map.copyOf(byName);
  }

  /**
   * One query's answer: a value, or no sample (both null), or why there is no answer ({@code error}: Prometheus refused
   * the query, failed it, or did not answer).
   */
  public record Reading(Double value, String error) {
  }
}
