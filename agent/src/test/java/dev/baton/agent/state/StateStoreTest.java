package dev.baton.agent.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.agent.instance.InstanceRecord;
import dev.baton.common.model.Instance;
import dev.baton.common.model.InstanceState;
import dev.baton.common.model.StartInstanceRequest;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {

  @TempDir
  Path dir;

  static InstanceRecord record(String id, InstanceState state) {
    StartInstanceRequest request = StartInstanceRequest.fromJson(new JsonObject()
        .put("app", "shop").put("version", "2.0.0").put("port", 20001).put("release", "r-7")
        .put("env", new JsonObject().put("FEATURE", "on"))
        .put("command", new io.vertx.core.json.JsonArray().add("java").add("-Xmx64m").add("-jar").add("{artifact}"))
        .put("artifact", new JsonObject().put("url", "http://127.0.0.1:8090/v1/artifacts/shop/2.0.0")
            .put("sha256", "a".repeat(64))));
    Instance instance = new Instance(id, "shop", "2.0.0", 20001, 4242, state, "2025-01-01T00:00:00Z", "healthy");
    return new InstanceRecord(instance, request, "/data/artifacts/" + "a".repeat(64), 1_700_000_000_123L, true, 3);
  }

  @Test
  void aRecordSurvivesAWriteAndARead() throws Exception {
    InstanceRecord original = record("shop-2.0.0-a-20001", InstanceState.HEALTHY);
    StateStore.write(dir, original.id(), original.toJson().encode());

    assertThat(StateStore.load(dir)).containsExactly(original);
  }

  @Test
  void aRewriteReplacesTheRecordAndLeavesNoTempFile() throws Exception {
    InstanceRecord r = record("shop-2.0.0-a-20001", InstanceState.HEALTHY);
    StateStore.write(dir, r.id(), r.toJson().encode());
    StateStore.write(dir, r.id(), r.withState(InstanceState.DRAINING, "stopping").toJson().encode());

    assertThat(StateStore.load(dir)).singleElement().extracting(InstanceRecord::state).isEqualTo(InstanceState.DRAINING);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("shop-2.0.0-a-20001.json");
    }
  }

  @Test
  void aRecordIsReadableOnlyByTheAgentEvenWhenALeftoverTempFileWasLooser() throws Exception {
    InstanceRecord r = record("shop-2.0.0-a-20001", InstanceState.HEALTHY);
    Path leftover = dir.resolve(".shop-2.0.0-a-20001.json.tmp");
    Files.writeString(leftover, "half a record");
    Files.setPosixFilePermissions(leftover, PosixFilePermissions.fromString("rw-rw-rw-"));

    StateStore.write(dir, r.id(), r.toJson().encode());

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(r.id() + ".json"))))
        .isEqualTo("rw-------");
    assertThat(leftover).doesNotExist();
    assertThat(StateStore.load(dir)).containsExactly(r);
  }

  @Test
  void aMissingStateDirIsCreatedPrivate() throws Exception {
    Path state = dir.resolve("state");
    InstanceRecord r = record("shop-2.0.0-a-20001", InstanceState.HEALTHY);
    StateStore.write(state, r.id(), r.toJson().encode());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
  }

  @Test
  void anUnreadableFileIsSetAsideNotFatal() throws Exception {
    InstanceRecord good = record("shop-2.0.0-a-20001", InstanceState.HEALTHY);
    StateStore.write(dir, good.id(), good.toJson().encode());
    Files.writeString(dir.resolve("broken.json"), "{\"instance\": ");

    assertThat(StateStore.load(dir)).containsExactly(good);
    assertThat(dir.resolve("broken.json.corrupt")).exists();
  }

  @Test
  void aMissingDirectoryHoldsNoRecords() throws Exception {
    assertThat(StateStore.load(dir.resolve("nope"))).isEmpty();
  }
}
