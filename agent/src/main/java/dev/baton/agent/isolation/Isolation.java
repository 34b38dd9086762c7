package dev.baton.agent.isolation;

import dev.baton.common.model.StartInstanceRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The agent's door to isolation (docs/ARCHITECTURE.md, Agent, "Isolation"): what this host allows an instance
 * ({@link #confine}) and the files a launch needs, its artifact checked again ({@link #prepare}). The blocking
 * work (user lookups, hashing, copying) runs on worker threads.
 */
public final class Isolation {

  private final Vertx vertx;
  /** What this host offers, looked at once on a worker thread when first needed. */
  private volatile Host host;

  private record Host(HostTools tools, int agentUid, HardLimits hard) {
  }

  public Isolation(Vertx vertx) {
    this.vertx = vertx;
  }

  private Host host() {
    Host h = host;
    if (h == null) {
      h = new Host(HostTools.find(), Accounts.currentUid(), HardLimits.ofThisProcess());
      host = h;
    }
    return h;
  }

  /**
   * How {@code req} is confined on this host; fails with a 422 when its {@code runAs} or {@code limits} cannot
   * be honoured. Asked again at every launch, so a user deleted since the first start fails a restart clearly.
   */
  public Future<Confinement> confine(StartInstanceRequest req) {
    if (req.runAs() == null && req.limits().isEmpty()) {
      return Future.succeededFuture(Confinement.NONE);
    }
    return vertx.executeBlocking(() -> {
      Host h = host();
      Optional<Account> account = req.runAs() == null ? Optional.empty() : Accounts.lookup(req.runAs(), h.tools());
      return Confinement.decide(req.runAs(), req.limits(), account, h.agentUid(), h.tools(), h.hard());
    }, false);
  }

  /**
   * Lays out the instance's directory and checks the cached artifact's sha256 again; fails with a 422
   * ({@code artifact_corrupt}, {@code artifact_missing}) and deletes the cached file when it no longer matches.
   */
  public Future<InstanceFiles> prepare(Path instanceDir, Path cachedArtifact, String sha256, Confinement confinement) {
    return vertx.executeBlocking(() -> InstanceFiles.prepare(instanceDir, cachedArtifact, sha256, confinement), false);
  }
}
