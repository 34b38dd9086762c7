package dev.baton.registry.store;

/** A value read from Consul KV with the ModifyIndex to check-and-set against; index 0 means "absent". */
public record Versioned<T>(T value, long index) {

  public <U> Versioned<U> map(java.util.function.Function<T, U> f) {
    return new Versioned<>(f.apply(value), index);
  }
}
