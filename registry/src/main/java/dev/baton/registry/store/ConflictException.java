package dev.baton.registry.store;

/** A check-and-set write lost a race: the key changed since it was read. Callers reload and retry. */
public final class ConflictException extends RuntimeException {

  public ConflictException(String key) {
    super(key + " changed concurrently; reload and retry");
  }
}
