package dev.baton.registry.store;

/**
 * An artifact record in KV, or the file it names, failed validation: it is never served nor released
 * (docs/ARCHITECTURE.md, Registry, "Artifacts"). The message names the KV key so an operator can find it.
 */
public final class InvalidArtifactException extends RuntimeException {

  private final String key;

  public InvalidArtifactException(String key, String problem) {
    super("the artifact record " + key + " is invalid (" + problem + "); nothing is served or released from it: "
        + remedy(key));
    this.key = key;
  }

  public String key() {
    return key;
  }

  private static String remedy(String key) {
    String[] names = ArtifactRecord.coordinates(key);
    return names == null ? "remove the key from Consul KV"
        : "delete it with DELETE /v1/artifacts/" + names[0] + "/" + names[1] + " and upload that version again";
  }
}
