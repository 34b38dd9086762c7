package dev.baton.gateway.discovery;

import dev.baton.common.consul.ConsulAccess;
import dev.baton.common.consul.ServiceNames;
import dev.baton.common.model.Names;
import io.vertx.core.Future;
import io.vertx.ext.consul.BlockingQueryOptions;
import io.vertx.ext.consul.ConsulClient;
import io.vertx.ext.consul.Service;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The catalog reads of {@link ConsulWatcher}: the baton services with their tags, and the services of one node. */
final class CatalogReader {

  /** A catalog answer: the baton services with their tags, and its index. */
  record Catalog(Map<String, List<String>> services, long index) {
  }

  private final ConsulClient blocking;
  private final ConsulClient reads;
  private final ConsulAccess access;
  private final String wait;

  /** {@code blocking} holds the catalog's blocking query; {@code reads} answers at once. */
  CatalogReader(ConsulClient blocking, ConsulClient reads, ConsulAccess access, long waitSeconds) {
    this.blocking = blocking;
    this.reads = reads;
    this.access = access;
    this.wait = waitSeconds + "s";
  }

  /** The services tagged {@code baton} whose name is an app name, with their tags, as of {@code index}. */
  Future<BlockingQueryLoop.Result<Catalog>> read(long index) {
    return blocking.catalogServicesWithOptions(new BlockingQueryOptions().setIndex(index).setWait(wait)).map(list -> {
      Map<String, List<String>> names = new TreeMap<>();
      if (list.getList() != null) {
        for (Service s : list.getList()) {
          if (s.getTags() != null && s.getTags().contains(ServiceNames.TAG_BATON) && Names.isApp(s.getName())) {
            names.put(s.getName(), List.copyOf(new TreeSet<>(s.getTags())));
          }
        }
      }
      return new BlockingQueryLoop.Result<>(new Catalog(names, list.getIndex()), list.getIndex());
    }).recover(e -> Future.failedFuture(access.explain(e)));
  }

  /** The names of the services registered on {@code node}. */
  Future<Set<String>> servicesOn(String node) {
    return reads.catalogNodeServices(node).map(list -> {
      Set<String> names = new TreeSet<>();
      if (list != null && list.getList() != null) {
        list.getList().forEach(s -> names.add(s.getName()));
      }
      return names;
    }).recover(e -> Future.failedFuture(access.explain(e)));
  }
}
