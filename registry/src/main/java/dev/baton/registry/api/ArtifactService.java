package dev.baton.registry.api;

import dev.baton.common.consul.ConsulKeys;
import dev.baton.common.http.ApiException;
import dev.baton.common.model.ArtifactMeta;
import dev.baton.registry.store.ArtifactRecord;
import dev.baton.registry.store.ArtifactStore;
import dev.baton.registry.store.ReleaseStore;
import dev.baton.registry.store.RouteStore;
import dev.baton.registry.store.Versioned;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The operator side of artifacts: the list of an app's versions with the bytes they use against the
 * quota, and {@code DELETE} of a version that nothing needs any more ({@link ArtifactUse}). A delete is
 * serialised with release creation for the app, so no release can start from or to a version while its
 * artifact is being removed.
 */
public final class ArtifactService {

  private final ArtifactStore store;
  private final RouteStore routes;
  private final ReleaseStore releases;
  private final AppInstances instances;
  private final ReleaseService releaseService;

  public ArtifactService(ArtifactStore store, RouteStore routes, ReleaseStore releases, AppInstances instances,
                         ReleaseService releaseService) {
    this.store = store;
    this.routes = routes;
    this.releases = releases;
    this.instances = instances;
    this.releaseService = releaseService;
  }

  /** {@code {app, artifacts: [meta...], appBytes, usedBytes, quotaBytes, invalid: [{key, problem}]}}. */
  public Future<JsonObject> list(String app) {
    String prefix = ConsulKeys.artifact(app, "");
    return store.inventory().map(inv -> {
      JsonArray artifacts = new JsonArray();
      long appBytes = 0;
      for (ArtifactMeta m : inv.valid()) {
        if (m.app().equals(app)) {
          artifacts.add(m.toJson());
          appBytes += m.size();
        }
      }
      JsonArray invalid = new JsonArray();
      inv.invalid().stream().filter(r -> r.key().startsWith(prefix))
          .forEach(r -> invalid.add(new JsonObject().put("key", r.key()).put("problem", r.problem())));
      return new JsonObject().put("app", app).put("artifacts", artifacts).put("appBytes", appBytes)
          .put("usedBytes", inv.usedBytes()).put("quotaBytes", store.quota().limit()).put("invalid", invalid);
    });
  }

  /**
   * Removes the record (check-and-set on the index it was judged at) and then the file, so a crash in
   * between leaves at worst a file without a record, never a record without its file. 404 when there is
   * no record; 409 {@code artifact_in_use} naming every reason it is still needed.
   */
  public Future<JsonObject> delete(String app, String version) {
    return releaseService.exclusively(app, () -> store.record(app, version).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(ApiException.notFound("no artifact " + app + " " + version
            + " (GET /v1/artifacts/" + app + " lists the stored versions)"));
      }
      var running = instances.of(app);
      var route = routes.get(app);
      var history = releases.list(app);
      return Future.all(running, route, history).compose(x -> {
        List<String> versions = running.result().stream().map(o -> ((JsonObject) o).getString("version")).toList();
        List<String> reasons = ArtifactUse.reasons(app, version, versions, route.result(),
            history.result().stream().map(Versioned::value).toList());
        if (!reasons.isEmpty()) {
          return Future.failedFuture(ApiException.conflict("artifact_in_use", "artifact " + app + " " + version
              + " is still needed: " + String.join("; ", reasons) + ". Delete it once a release has moved "
              + app + " past it and it is no longer the version a rollback returns to"));
        }
        return store.delete(found.get());
      });
    })).map(ArtifactService::deleted);
  }

  private static JsonObject deleted(ArtifactStore.Deleted d) {
    JsonObject out = new JsonObject().put("key", d.record().key()).put("fileDeleted", d.fileDeleted());
    if (d.record() instanceof ArtifactRecord.Valid v) {
      out.mergeIn(v.meta().toJson());
    } else if (d.record() instanceof ArtifactRecord.Invalid bad) {
      out.put("invalid", bad.problem());
    }
    return out;
  }
}
