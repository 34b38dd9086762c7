/**
 * Artifacts on every registry (docs/ARCHITECTURE.md, Registry, "Artifacts on every registry"): the live peer
 * registries found in Consul, the HTTP calls between them, replication of an upload before it is acknowledged,
 * and the fetch of missing bytes from a peer on demand and on a periodic sweep.
 */
package dev.baton.registry.peer;
