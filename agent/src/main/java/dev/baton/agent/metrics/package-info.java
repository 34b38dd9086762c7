/** Prometheus metrics of the agent (Micrometer through vertx-micrometer-metrics). */
package dev.baton.agent.metrics;
