package dev.baton.gateway.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The peers whose {@code X-Forwarded-*} headers we keep ({@code BATON_TRUSTED_PROXIES}: a comma list of
 * IPv4/IPv6 addresses or CIDR blocks). Parsed once; {@link #trusts} takes the peer's textual address.
 */
public final class TrustedProxies {

  private record Block(byte[] network, int prefix) {
  }

  public static final TrustedProxies NONE = new TrustedProxies(List.of());

  private final List<Block> blocks;

  private TrustedProxies(List<Block> blocks) {
    this.blocks = blocks;
  }

  /** Parses a comma list; throws IllegalArgumentException naming the first bad entry. */
  public static TrustedProxies parse(String list) {
    if (list == null || list.isBlank()) {
      return NONE;
    }
    List<Block> blocks = new ArrayList<>();
    for (String raw : list.split(",")) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        continue;
      }
      int slash = entry.indexOf('/');
      String addr = slash < 0 ? entry : entry.substring(0, slash);
      byte[] bytes = literal(addr);
      if (bytes == null) {
        throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR block");
      }
      int prefix = bytes.length * 8;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(entry.substring(slash + 1));
        } catch (NumberFormatException e) {
          prefix = -1;
        }
        if (prefix < 0 || prefix > bytes.length * 8) {
          throw new IllegalArgumentException("'" + entry + "' has an invalid prefix length");
        }
      }
      blocks.add(new Block(bytes, prefix));
    }
    return new TrustedProxies(List.copyOf(blocks));
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  public boolean trusts(String peer) {
    if (blocks.isEmpty() || peer == null) {
      return false;
    }
    return contains(literal(peer));
  }

  /** Whether a socket's address is in the list (no parsing: the per-connection check of connection limits). */
  public boolean trusts(java.net.InetAddress peer) {
    return !blocks.isEmpty() && peer != null && contains(peer.getAddress());
  }

  private boolean contains(byte[] addr) {
    if (addr == null) {
      return false;
    }
    for (Block b : blocks) {
      if (b.network.length == addr.length && matches(b.network, addr, b.prefix)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(byte[] net, byte[] addr, int prefix) {
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (net[i] != addr[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (net[full] & mask) == (addr[full] & mask);
  }

  /** The bytes of an IP literal, or null; never a DNS lookup. */
  static byte[] literal(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    boolean v4 = t.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    boolean v6 = t.indexOf(':') >= 0 && t.matches("[0-9A-Fa-f:.]+");
    if (!v4 && !v6) {
      return null;
    }
    try {
      return InetAddress.getByName(t).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
