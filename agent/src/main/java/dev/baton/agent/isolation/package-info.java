/**
 * What keeps instances apart from the agent and from each other (docs/ARCHITECTURE.md, Agent, "Isolation"):
 * private file modes, the artifact's digest checked again before every launch, the user an instance runs as
 * and its resource limits.
 */
package dev.baton.agent.isolation;
