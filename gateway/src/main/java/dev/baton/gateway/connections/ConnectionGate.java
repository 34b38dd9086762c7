package dev.baton.gateway.connections;

import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler of every server socket of the gateway (installed by {@link GatedTransport}). On the traffic ports it
 * sees each accepted socket before Vert.x does and closes those beyond {@link ConnectionLimits} at once: no event
 * loop registration, no TLS handshake, no byte read. On every server socket it takes accept failures (EMFILE,
 * ENFILE, ENOBUFS) off Netty's pipeline tail, which would log each one, logs them once per interval with a count,
 * and pauses accepting for a second as Netty's own acceptor does. It also keeps the listening sockets of the traffic
 * ports, so that a stopping gateway can close them itself before Vert.x takes its servers down
 * ({@link #closeListeners()}).
 */
@ChannelHandler.Sharable
public final class ConnectionGate extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGate.class);
  static final long REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final ConnectionLimits limits;
  private final Set<Integer> guardedPorts;
  private final ConnectionCounts counts;
  private final Throttle acceptErrors;
  private final Throttle refusals = new Throttle(REPORT_INTERVAL_NANOS);
  private final AtomicBoolean acceptErrorFlush = new AtomicBoolean();
  private final AtomicBoolean refusalFlush = new AtomicBoolean();
  private final Set<Channel> listeners = ConcurrentHashMap.newKeySet();
  private final LongAdder overGlobal = new LongAdder();
  private final LongAdder overClient = new LongAdder();
  private final LongAdder acceptFailures = new LongAdder();
  private volatile String lastAcceptError = "";
  private volatile InetAddress lastCapped;
  private long reportedGlobal;
  private long reportedClient;

  /** {@code guardedPorts}: the traffic ports (HTTP and HTTPS); other servers only get the accept-error handling. */
  public ConnectionGate(ConnectionLimits limits, Set<Integer> guardedPorts) {
    this(limits, guardedPorts, REPORT_INTERVAL_NANOS);
  }

  ConnectionGate(ConnectionLimits limits, Set<Integer> guardedPorts, long reportIntervalNanos) {
    this.limits = limits;
    this.guardedPorts = Set.copyOf(guardedPorts);
    this.counts = new ConnectionCounts(limits.maxConnections(), limits.maxPerClient());
    this.acceptErrors = new Throttle(reportIntervalNanos);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    Channel listener = ctx.channel();
    if (guarded(listener.localAddress())) {
      listeners.add(listener);
      listener.closeFuture().addListener(f -> listeners.remove(listener));
    }
    ctx.fireChannelActive();
  }

  /**
   * Stops accepting on the traffic ports and closes their listening sockets, while Vert.x's servers are still
   * there to take every connection already accepted (docs/ARCHITECTURE.md, Gateway, "Replacing a gateway"). A
   * connection the kernel queued and nobody accepted then moves to another listener of the port
   * ({@code net.ipv4.tcp_migrate_req}) instead of being reset. Left to Vert.x, a server's close first removes the
   * event loops the acceptor hands sockets to and only then the socket, and a connection accepted in between
   * can no longer be registered: the client sees it reset.
   */
  public CompletableFuture<Void> closeListeners() {
    List<CompletableFuture<Void>> closed = listeners.stream().map(ConnectionGate::stopAndClose).toList();
    return CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new));
  }

  private static CompletableFuture<Void> stopAndClose(Channel listener) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    listener.eventLoop().execute(() -> {
      // No new accept from now on; whatever the transport has already accepted (an io_uring completion in the
      // ring) still reaches the acceptor as the loop runs, before the close below.
      listener.config().setAutoRead(false);
      listener.eventLoop().execute(() -> listener.close().addListener(f -> done.complete(null)));
    });
    return done;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Channel child) || !guarded(ctx.channel().localAddress())) {
      ctx.fireChannelRead(msg);
      return;
    }
    InetAddress peer = child.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    boolean capped = limits.capped(peer);
    ConnectionCounts.Verdict verdict = counts.admit(peer, capped);
    if (verdict != ConnectionCounts.Verdict.ADMITTED) {
      // Not registered with any event loop yet: closing the descriptor is all it costs.
      child.unsafe().closeForcibly();
      refused(ctx, verdict, peer);
      return;
    }
    child.closeFuture().addListener(f -> counts.release(peer, capped));
    ctx.fireChannelRead(child);
  }

  private boolean guarded(SocketAddress local) {
    return local instanceof InetSocketAddress a && guardedPorts.contains(a.getPort());
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof IOException)) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    acceptFailures.increment();
    lastAcceptError = String.valueOf(cause.getMessage());
    ChannelConfig config = ctx.channel().config();
    if (config.isAutoRead()) {
      // As Netty's ServerBootstrapAcceptor: let descriptors come back before trying again.
      config.setAutoRead(false);
      ctx.executor().schedule(() -> config.setAutoRead(true), 1, TimeUnit.SECONDS);
    }
    long n = acceptErrors.record(System.nanoTime());
    if (n > 0) {
      logAcceptErrors(ctx.channel().localAddress(), n);
    } else if (acceptErrorFlush.compareAndSet(false, true)) {
      SocketAddress local = ctx.channel().localAddress();
      ctx.executor().schedule(() -> {
        acceptErrorFlush.set(false);
        long held = acceptErrors.flush(System.nanoTime());
        if (held > 0) {
          logAcceptErrors(local, held);
        }
      }, acceptErrors.intervalNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void logAcceptErrors(SocketAddress local, long n) {
    LOG.warn("accepting connections on {} failed {} time(s) in the last {} s ({}); accepting pauses 1 s after a "
            + "failure. {} client connection(s) open, {}", local, n,
        TimeUnit.NANOSECONDS.toSeconds(acceptErrors.intervalNanos()), lastAcceptError, counts.open(), descriptors());
  }

  /** The limits now; with no descriptor left to read them, those at start. */
  private String descriptors() {
    DescriptorLimits now = DescriptorLimits.current();
    return now.known() ? now.toString() : limits.descriptors() + " (at start)";
  }

  private void refused(ChannelHandlerContext ctx, ConnectionCounts.Verdict verdict, InetAddress peer) {
    if (verdict == ConnectionCounts.Verdict.OVER_GLOBAL) {
      overGlobal.increment();
    } else {
      overClient.increment();
      lastCapped = peer;
    }
    if (refusals.record(System.nanoTime()) > 0) {
      logRefusals();
    } else if (refusalFlush.compareAndSet(false, true)) {
      ctx.executor().schedule(() -> {
        refusalFlush.set(false);
        if (refusals.flush(System.nanoTime()) > 0) {
          logRefusals();
        }
      }, REPORT_INTERVAL_NANOS, TimeUnit.NANOSECONDS);
    }
  }

  private synchronized void logRefusals() {
    long global = overGlobal.sum();
    long client = overClient.sum();
    LOG.warn("refused {} connection(s) at the limit of BATON_MAX_CONNECTIONS={} and {} beyond "
            + "BATON_MAX_CLIENT_CONNECTIONS={} for one address (last {}) since the last report, at most one per {} s",
        global - reportedGlobal, limits.maxConnections(), client - reportedClient, limits.maxPerClient(),
        lastCapped == null ? "none" : lastCapped.getHostAddress(), TimeUnit.NANOSECONDS.toSeconds(REPORT_INTERVAL_NANOS));
    reportedGlobal = global;
    reportedClient = client;
  }

  public ConnectionCounts counts() {
    return counts;
  }

  public long refusedOverGlobal() {
    return overGlobal.sum();
  }

  public long refusedOverClient() {
    return overClient.sum();
  }

  public long acceptFailures() {
    return acceptFailures.sum();
  }
}
