package dev.baton.agent.instance;

import dev.baton.agent.AgentSettings;
import dev.baton.agent.consul.ConsulRegistrar;
import dev.baton.agent.drain.DrainCoordinator;
import dev.baton.agent.events.EventPublisher;
import dev.baton.agent.metrics.AgentMetrics;
import dev.baton.agent.port.PortAllocator;
import dev.baton.agent.process.ProcessDriver;
import dev.baton.agent.state.StateStore;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * What every {@link InstanceSupervisor} of an agent shares: the agent's context (where supervisors process their
 * inputs), its settings, and the narrow services their actions go through.
 */
record SupervisorTools(Vertx vertx, Context context, AgentSettings settings, Transitions transitions,
                       InstanceWork work, ProcessDriver driver, ConsulRegistrar registrar, DrainCoordinator drains,
                       StateStore store, EventPublisher events, AgentMetrics metrics, PortAllocator ports) {
}
