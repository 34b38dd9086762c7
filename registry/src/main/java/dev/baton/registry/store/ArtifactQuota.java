package dev.baton.registry.store;

/**
 * The cap on stored artifact bytes, {@code BATON_ARTIFACT_QUOTA_BYTES} (docs/ARCHITECTURE.md, Registry,
 * "Artifacts"). Bytes in use are the sizes of the valid records in KV plus the bytes of uploads still in
 * flight on this registry (only the leader takes uploads), so two uploads racing for the last free bytes
 * cannot both pass. Confined to the registry verticle's event loop.
 */
public final class ArtifactQuota {

  /** Storing an upload would pass the quota; nothing was stored. */
  public static final class ExceededException extends RuntimeException {

    public ExceededException(String app, String version, long quota, long inUse, long incoming, boolean partial) {
      super("storing " + app + " " + version + " needs " + (partial ? "at least " : "") + incoming
          + " bytes but the artifact quota (BATON_ARTIFACT_QUOTA_BYTES) is " + quota + " bytes and " + inUse
          + " bytes are in use; nothing was stored. Free space by deleting versions no longer needed with"
          + " DELETE /v1/artifacts/{app}/{version} (GET /v1/artifacts/{app} lists them and their sizes),"
          + " or raise BATON_ARTIFACT_QUOTA_BYTES");
    }
  }

  private final long limit;
  private long inFlight;

  public ArtifactQuota(long limit) {
    this.limit = limit;
  }

  public long limit() {
    return limit;
  }

  /** Bytes received by uploads that have not been recorded or refused yet. */
  public long inFlight() {
    return inFlight;
  }

  void reserve(long bytes) {
    inFlight += bytes;
  }

  void release(long bytes) {
    inFlight -= bytes;
  }

  /**
   * Throws when {@code mine} bytes (already reserved by the caller as {@code reservedByMe}) on top of
   * {@code recorded} bytes and the other uploads in flight exceed the quota.
   */
  void check(String app, String version, long recorded, long mine, long reservedByMe, boolean partial) {
    long inUse = recorded + inFlight - reservedByMe;
    if (exceeds(limit, inUse, mine)) {
      throw new ExceededException(app, version, limit, inUse, mine, partial);
    }
  }

  /** Whether {@code incoming} more bytes on top of {@code inUse} pass {@code limit} (overflow-safe). */
  static boolean exceeds(long limit, long inUse, long incoming) {
    return incoming > limit - Math.min(inUse, limit);
  }
}
