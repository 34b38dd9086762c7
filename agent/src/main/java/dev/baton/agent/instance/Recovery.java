package dev.baton.agent.instance;

import dev.baton.agent.consul.ConsulRegistrar;
import dev.baton.agent.events.EventPublisher;
import dev.baton.agent.port.PortAllocator;
import dev.baton.agent.process.ProcessDriver;
import dev.baton.agent.process.RunningProcess;
import dev.baton.agent.state.StateStore;
import dev.baton.common.model.InstanceState;
import io.vertx.core.Future;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Start-up reconciliation after an agent restart, so there is no duplicate and no orphan. For each recorded
 * instance: if its process still runs (same pid <em>and</em> same start time) it is adopted and picks up where
 * it was (HEALTHY: supervised, registered if Consul lost it; STARTING: health gate resumed; DRAINING: the stop
 * resumed); if the process is gone the instance is FAILED and leaves Consul. Finally every Consul
 * registration carrying this agent's id that no adopted instance owns is removed.
 */
final class Recovery {

  private final InstanceService service;
  private final Lifecycle lifecycle;
  private final ProcessDriver driver;
  private final ConsulRegistrar registrar;
  private final PortAllocator ports;
  private final EventPublisher events;

  Recovery(InstanceService service, Lifecycle lifecycle, ProcessDriver driver, ConsulRegistrar registrar,
           PortAllocator ports, EventPublisher events) {
    this.service = service;
    this.lifecycle = lifecycle;
    this.driver = driver;
    this.registrar = registrar;
    this.ports = ports;
    this.events = events;
  }

  Future<Void> run(StateStore store) {
    return store.loadAll().compose(records -> registrar.ownInstanceIds().compose(inConsul -> {
      List<Future<Void>> adoptions = records.stream().map(r -> adopt(r, inConsul)).toList();
      return Future.all(adoptions).compose(v -> removeStale(inConsul));
    }));
  }

  private Future<Void> adopt(InstanceRecord record, Set<String> inConsul) {
    Slot slot = new Slot(record);
    service.put(slot);
    if (record.state().isTerminal()) {
      slot.terminating = true;
      return Future.succeededFuture();
    }
    long pid = record.instance().pid();
    Future<Optional<RunningProcess>> found = pid > 0 ? driver.recover(pid, record.processStartMs())
        : Future.succeededFuture(Optional.empty());
    return found.compose(process -> process.isPresent() ? resume(slot, process.get()) : gone(slot));
  }

  private Future<Void> resume(Slot slot, RunningProcess process) {
    slot.process = process;
    slot.exited = driver.exited(process);
    ports.adopt(slot.record.port());
    events.instance("instance.adopted", slot.instance(), "pid " + process.pid() + " still running; adopted in state "
        + slot.record.state());
    if (slot.record.state() == InstanceState.DRAINING) {
      slot.stopping = service.stopSequence(slot);
    } else {
      // HEALTHY or STARTING: pass the health gate again, then (re-)register under the same ID.
      lifecycle.supervise(slot, ++slot.generation);
    }
    return Future.succeededFuture();
  }

  private Future<Void> gone(Slot slot) {
    String reason = "process " + slot.instance().pid() + " was gone when the agent restarted";
    return lifecycle.fail(slot, reason);
  }

  private Future<Void> removeStale(Set<String> inConsul) {
    Set<String> owned = new HashSet<>();
    service.slots().values().stream()
        .filter(s -> s.process != null && s.record.registered() && s.record.state() == InstanceState.HEALTHY)
        .forEach(s -> owned.add(s.record.id()));
    List<Future<Void>> removals = inConsul.stream().filter(id -> !owned.contains(id)).map(id -> {
      System.out.println("agent: removing stale Consul registration " + id + " (no live instance of this agent)");
      return registrar.deregister(id);
    }).toList();
    return Future.all(removals).mapEmpty();
  }
}
