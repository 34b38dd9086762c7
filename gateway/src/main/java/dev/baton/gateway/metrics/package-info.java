/**
 * Request metrics: Prometheus meters per app, version and instance (resolved once per instance, never per
 * request) and the one-second per-version windows published on {@code baton.gateway.metrics}.
 */
package dev.baton.gateway.metrics;
