package dev.baton.common.model;

import io.vertx.core.json.JsonObject;

/**
 * Optional per-process resource limits of an app's instances, applied by the agent with {@code prlimit}
 * (docs/ARCHITECTURE.md, Agent): {@code memoryMb} bounds the process's private writable memory
 * ({@code RLIMIT_DATA}: heap, malloc arenas, thread stacks), {@code openFiles} its file descriptors
 * ({@code RLIMIT_NOFILE}). A null field is not limited.
 */
public record Limits(Integer memoryMb, Integer openFiles) {

  public static final Limits NONE = new Limits(null, null);
  public static final int MIN_MEMORY_MB = 16;
  public static final int MAX_MEMORY_MB = 1024 * 1024;
  public static final int MIN_OPEN_FILES = 16;
  /** The kernel's default {@code fs.nr_open}: no process may have more. */
  public static final int MAX_OPEN_FILES = 1024 * 1024;

  public boolean isEmpty() {
    return memoryMb == null && openFiles == null;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (memoryMb != null) {
      json.put("memoryMb", memoryMb);
    }
    if (openFiles != null) {
      json.put("openFiles", openFiles);
    }
    return json;
  }

  /** The {@code limits} object of {@code f}, or {@link #NONE} when absent; errors go to {@code f}. */
  static Limits read(Fields f, String field) {
    Fields l = f.object(field, false);
    if (l == null) {
      return NONE;
    }
    return new Limits(l.integer("memoryMb", false, MIN_MEMORY_MB, MAX_MEMORY_MB),
        l.integer("openFiles", false, MIN_OPEN_FILES, MAX_OPEN_FILES));
  }
}
