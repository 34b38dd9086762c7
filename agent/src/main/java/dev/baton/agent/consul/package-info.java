/** Consul registration of instances and of the agent itself (DESIGN.md §3), and the queries drains need. */
package dev.baton.agent.consul;
