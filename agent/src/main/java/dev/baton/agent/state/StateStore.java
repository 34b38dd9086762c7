package dev.baton.agent.state;

import dev.baton.agent.instance.InstanceRecord;
import dev.baton.agent.isolation.PrivateFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instance records as one JSON file each under the state directory (0700, files 0600: a record holds the app's
 * env). A write goes to a temp file that is then renamed over the old one, so a crash mid-write leaves the
 * previous record, never half of one. Writes are
 * ordered {@code executeBlocking} calls from the agent's context, so they land in the order they were made.
 */
public final class StateStore {

  private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);

  private static final String SUFFIX = ".json";

  private final Vertx vertx;
  private final Path dir;

  public StateStore(Vertx vertx, Path dir) {
    this.vertx = vertx;
    this.dir = dir;
  }

  public Future<Void> save(InstanceRecord record) {
    String json = record.toJson().encodePrettily();
    return vertx.executeBlocking(() -> {
      write(dir, record.id(), json);
      return null;
    });
  }

  public Future<Void> delete(String id) {
    return vertx.executeBlocking(() -> {
      Files.deleteIfExists(dir.resolve(id + SUFFIX));
      return null;
    });
  }

  /** Every readable record; an unreadable file is set aside as {@code .corrupt} and reported, not fatal. */
  public Future<List<InstanceRecord>> loadAll() {
    return vertx.executeBlocking(() -> load(dir));
  }

  static void write(Path dir, String id, String json) throws IOException {
    if (!Files.isDirectory(dir)) {
      PrivateFiles.directory(dir, PrivateFiles.PRIVATE_DIR);
    }
    PrivateFiles.writeAtomically(dir.resolve(id + SUFFIX), json);
  }

  static List<InstanceRecord> load(Path dir) throws IOException {
    List<InstanceRecord> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
        try {
          out.add(InstanceRecord.fromJson(new JsonObject(Files.readString(file, StandardCharsets.UTF_8))));
        } catch (RuntimeException e) {
          Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
          Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
          LOG.warn("state file {} is unreadable ({}); moved to {}", file, e.getMessage(), aside);
        }
      }
    }
    return out;
  }
}
