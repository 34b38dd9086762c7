package dev.baton.gateway.routing;

import java.nio.charset.StandardCharsets;

/**
 * The sticky bucket of a user key: MurmurHash3 (x86, 32-bit, seed 0) of the key's UTF-8 bytes, as an
 * unsigned number, modulo 10 000. Stable across JVMs, versions and gateways, unlike {@code String.hashCode}.
 */
public final class StickyBucket {

  public static final int BUCKETS = 10_000;

  private StickyBucket() {
  }

  public static int of(String key) {
    return (int) (Integer.toUnsignedLong(murmur3(key.getBytes(StandardCharsets.UTF_8), 0)) % BUCKETS);
  }

  /** MurmurHash3_x86_32. */
  public static int murmur3(byte[] data, int seed) {
    final int c1 = 0xcc9e2d51;
    final int c2 = 0x1b873593;
    int h = seed;
    int len = data.length;
    int blocks = len / 4;
    for (int i = 0; i < blocks; i++) {
      int k = (data[i * 4] & 0xff) | (data[i * 4 + 1] & 0xff) << 8 | (data[i * 4 + 2] & 0xff) << 16
          | (data[i * 4 + 3] & 0xff) << 24;
      k *= c1;
      k = Integer.rotateLeft(k, 15);
      k *= c2;
      h ^= k;
      h = Integer.rotateLeft(h, 13);
      h = h * 5 + 0xe6546b64;
    }
    int k = 0;
    int tail = blocks * 4;
    switch (len & 3) {
      case 3:
        k ^= (data[tail + 2] & 0xff) << 16;
        // fall through
      case 2:
        k ^= (data[tail + 1] & 0xff) << 8;
        // fall through
      case 1:
        k ^= data[tail] & 0xff;
        k *= c1;
        k = Integer.rotateLeft(k, 15);
        k *= c2;
        h ^= k;
        break;
      default:
        break;
    }
    h ^= len;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
