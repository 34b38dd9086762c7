package dev.baton.agent.instance;

import dev.baton.agent.consul.ConsulRegistrar;
import dev.baton.agent.process.ProcessDriver;
import dev.baton.agent.process.RunningProcess;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up reconciliation after an agent restart, so there is no duplicate and no orphan: what a recorded
 * instance's process is now (the same pid <em>and</em> start time, so a recycled pid does not match), handed to
 * its supervisor as {@link Input.Adopt}; and, once all are adopted, the removal of every Consul registration
 * carrying this agent's id that no adopted instance keeps.
 */
final class Recovery {

  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  private final ProcessDriver driver;
  private final ConsulRegistrar registrar;

  Recovery(ProcessDriver driver, ConsulRegistrar registrar) {
    this.driver = driver;
    this.registrar = registrar;
  }

  /** The record's process if it still runs; null when it is gone, never ran, or the instance had ended. */
  Future<RunningProcess> find(InstanceRecord record) {
    long pid = record.instance().pid();
    if (record.state().isTerminal() || pid <= 0) {
      return Future.succeededFuture(null);
    }
    return driver.recover(pid, record.processStartMs()).map(found -> found.orElse(null));
  }

  /** Deregisters each of {@code inConsul} (this agent's registrations) that is not in {@code kept}. */
  Future<Void> removeStale(Set<String> inConsul, Set<String> kept) {
    List<Future<Void>> removals = inConsul.stream().filter(id -> !kept.contains(id)).map(id -> {
      LOG.info("removing stale Consul registration {} (no live instance of this agent)", id);
      return registrar.deregister(id);
    }).toList();
    return Future.all(removals).mapEmpty();
  }
}
