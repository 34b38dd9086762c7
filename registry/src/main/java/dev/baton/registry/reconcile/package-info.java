/**
 * Self-healing: host liveness from Consul and agent answers, the pure reconcile planner that keeps each app at
 * its desired count of passing instances of its current version, and the leader-only reconciler that applies it.
 */
package dev.baton.registry.reconcile;
