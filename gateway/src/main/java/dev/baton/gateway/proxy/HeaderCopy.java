package dev.baton.gateway.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Iterator;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies an instance's response head fields into the client's response as the {@link CharSequence}s Netty decoded,
 * in order, repeated fields kept. Vert.x hands the head over as Netty's {@code DefaultHttpHeaders} behind a
 * {@link HeadersAdaptor}, whose only iteration turns every name ({@code AsciiString}) into a new {@code String}; the
 * client's response headers ({@code HeadersMultiMap}) take the {@code AsciiString} as it is and write its bytes
 * (docs/ARCHITECTURE.md, "Gateway per-request costs"). The adaptor does not expose the Netty headers: they are read
 * from its field, looked up once; if a Vert.x upgrade renames it, the copy goes through {@link MultiMap#setAll} as
 * before and a warning says so once. Either way the result is the same fields, values and order.
 */
final class HeaderCopy {

  private static final Logger LOG = LoggerFactory.getLogger(HeaderCopy.class);
  /** {@code HeadersAdaptor.headers}, or null when it cannot be read. */
  private static final VarHandle NETTY = nettyHeaders();

  private HeaderCopy() {
  }

  /** Replaces the fields of {@code to} with those of {@code from}. */
  static void replace(MultiMap to, MultiMap from) {
    if (NETTY == null || !(from instanceof HeadersAdaptor)) {
      to.setAll(from); // between two HeadersMultiMap, setAll copies the CharSequences itself
      return;
    }
    HttpHeaders netty = (HttpHeaders) NETTY.get((HeadersAdaptor) from);
    to.clear();
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = netty.iteratorCharSequence(); it.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> e = it.next();
      to.add(e.getKey(), e.getValue());
    }
  }

  /** Whether the copy reads Netty's headers directly (true with the Vert.x this gateway is built with). */
  static boolean direct() {
    return NETTY != null;
  }

  private static VarHandle nettyHeaders() {
    try {
      return MethodHandles.privateLookupIn(HeadersAdaptor.class, MethodHandles.lookup())
          .findVarHandle(HeadersAdaptor.class, "headers", HttpHeaders.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("response headers are copied as Strings: Vert.x's HeadersAdaptor changed ({})", e.toString());
      return null;
    }
  }
}
