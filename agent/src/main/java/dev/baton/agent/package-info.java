/**
 * The baton agent: one per host, it downloads and verifies artifacts, starts app versions as their own
 * process groups, registers them in Consul once healthy, drains them through the gateways before stopping
 * them, restarts crashed ones, and re-adopts its instances after its own restart.
 */
package dev.baton.agent;
