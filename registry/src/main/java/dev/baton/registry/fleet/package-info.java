/** The registry's edges to the fleet: discovery, agent commands, gateway acks and metrics, the leader lock. */
package dev.baton.registry.fleet;
