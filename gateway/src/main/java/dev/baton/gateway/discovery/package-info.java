/**
 * Reads Consul with a fixed set of blocking queries (catalog, health state, KV routes and apps) plus bounded reads of
 * the services that changed, keeps the last good view when Consul is unreachable, and turns each change into a new
 * route table that rebuilds only the changed apps.
 */
package dev.baton.gateway.discovery;
