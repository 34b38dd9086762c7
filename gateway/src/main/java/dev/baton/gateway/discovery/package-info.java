/**
 * Reads Consul with blocking queries (catalog, passing instances per service, KV routes and apps), keeps
 * the last good view when Consul is unreachable, and turns each change into a new route table.
 */
package dev.baton.gateway.discovery;
