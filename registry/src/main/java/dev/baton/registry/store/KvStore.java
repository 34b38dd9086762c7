package dev.baton.registry.store;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.consul.ConsulClient;
import io.vertx.ext.consul.KeyValue;
import io.vertx.ext.consul.KeyValueOptions;
import io.vertx.ext.consul.TxnKVOperation;
import io.vertx.ext.consul.TxnKVVerb;
import io.vertx.ext.consul.TxnRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * JSON documents in Consul KV with check-and-set on ModifyIndex. A write names the index it read
 * (0 = "create only if absent"); a lost race fails with {@link ConflictException}, never overwrites.
 */
public final class KvStore {

  /** A value as Consul holds it, not parsed: for records that must be judged one by one (artifacts). */
  public record Entry(String key, String value, long index) {
  }

  private final ConsulClient consul;

  public KvStore(ConsulClient consul) {
    this.consul = consul;
  }

  public ConsulClient consul() {
    return consul;
  }

  public Future<Optional<Versioned<JsonObject>>> get(String key) {
    return consul.getValue(key).map(kv -> kv == null || !kv.isPresent() ? Optional.empty() : Optional.of(parse(kv)));
  }

  /** Every document under {@code prefix}, in key order. */
  public Future<List<Versioned<JsonObject>>> list(String prefix) {
    return consul.getValues(prefix).map(kvs -> {
      List<Versioned<JsonObject>> out = new ArrayList<>();
      if (kvs != null && kvs.getList() != null) {
        for (KeyValue kv : kvs.getList()) {
          if (kv.getValue() != null && !kv.getValue().isEmpty()) {
            out.add(parse(kv));
          }
        }
      }
      return out;
    });
  }

  /** The raw value at {@code key}, unparsed. */
  public Future<Optional<Entry>> entry(String key) {
    return consul.getValue(key).map(kv -> kv == null || !kv.isPresent() ? Optional.empty()
        : Optional.of(new Entry(kv.getKey(), kv.getValue(), kv.getModifyIndex())));
  }

  /** Every raw value under {@code prefix}, in key order; one bad value does not hide the others. */
  public Future<List<Entry>> entries(String prefix) {
    return consul.getValues(prefix).map(kvs -> {
      List<Entry> out = new ArrayList<>();
      if (kvs != null && kvs.getList() != null) {
        for (KeyValue kv : kvs.getList()) {
          out.add(new Entry(kv.getKey(), kv.getValue(), kv.getModifyIndex()));
        }
      }
      return out;
    });
  }

  /** Writes {@code value} only if the key's ModifyIndex is still {@code index} (0: only if absent). */
  public Future<Long> cas(String key, JsonObject value, long index) {
    return consul.putValueWithOptions(key, value.encode(), new KeyValueOptions().setCasIndex(index))
        .compose(ok -> ok ? consul.getValue(key).map(KeyValue::getModifyIndex)
            : Future.failedFuture(new ConflictException(key)));
  }

  /**
   * Read-modify-write with retries: {@code change} gets the current document (empty when absent) and
   * returns the new one, or fails to abort. Retries on a lost race up to 10 times.
   */
  public Future<Versioned<JsonObject>> update(String key,
                                              Function<Optional<JsonObject>, Future<JsonObject>> change) {
    return update(key, change, 10);
  }

  private Future<Versioned<JsonObject>> update(String key, Function<Optional<JsonObject>, Future<JsonObject>> change,
                                               int attempts) {
    return get(key).compose(current -> change.apply(current.map(Versioned::value))
        .compose(next -> cas(key, next, current.map(Versioned::index).orElse(0L)).map(i -> new Versioned<>(next, i))))
        .recover(e -> e instanceof ConflictException && attempts > 1 ? update(key, change, attempts - 1)
            : Future.failedFuture(e));
  }

  /**
   * Creates every document of {@code docs} (key to value) in one Consul transaction, each only if absent: all are
   * written or none is ({@link ConflictException} when a key exists, the transaction's error otherwise).
   */
  public Future<Void> createAll(java.util.Map<String, JsonObject> docs) {
    TxnRequest txn = new TxnRequest();
    docs.forEach((key, value) -> txn.addOperation(new TxnKVOperation().setType(TxnKVVerb.CAS).setKey(key).setIndex(0)
        .setValue(value.encode())));
    return consul.transaction(txn).compose(r -> r.getErrorsSize() == 0 ? Future.<Void>succeededFuture()
        : Future.failedFuture(new ConflictException(String.join(", ", docs.keySet()) + ": "
            + r.getErrors().get(0).getWhat())));
  }

  public Future<Void> delete(String key) {
    return consul.deleteValue(key);
  }

  /** Deletes every key under {@code prefix}. */
  public Future<Void> deletePrefix(String prefix) {
    return consul.deleteValues(prefix);
  }

  /** Deletes {@code key} only if its ModifyIndex is still {@code index}; else {@link ConflictException}. */
  public Future<Void> deleteCas(String key, long index) {
    TxnRequest txn = new TxnRequest().addOperation(new TxnKVOperation().setType(TxnKVVerb.DELETE_CAS)
        .setKey(key).setIndex(index));
    return consul.transaction(txn).compose(r -> r.getErrorsSize() == 0 ? Future.<Void>succeededFuture()
        : Future.failedFuture(new ConflictException(key)));
  }

  private static Versioned<JsonObject> parse(KeyValue kv) {
    try {
      return new Versioned<>(new JsonObject(kv.getValue()), kv.getModifyIndex());
    } catch (DecodeException e) {
      throw new IllegalStateException("KV " + kv.getKey() + " does not hold a JSON object: " + e.getMessage(), e);
    }
  }
}
