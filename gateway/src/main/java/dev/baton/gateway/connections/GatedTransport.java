package dev.baton.gateway.connections;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.transport.Transport;
import java.net.SocketAddress;
import java.util.concurrent.ThreadFactory;

/**
 * A Vert.x transport (io_uring, epoll or NIO, as chosen) that puts a {@link ConnectionGate} on every server socket
 * Vert.x binds. Vert.x has no hook between the kernel's accept and its own channel set-up; the transport's
 * {@code configure(NetServerOptions, …, ServerBootstrap)} is the one place that sees the bootstrap of each server,
 * and a bootstrap's {@code handler} runs on the listening socket, ahead of the acceptor that hands sockets over.
 */
public final class GatedTransport implements Transport {

  private final Transport transport;
  private final Gated implementation;

  private GatedTransport(Transport transport, ConnectionGate gate) {
    this.transport = transport;
    this.implementation = new Gated(transport.implementation(), gate);
  }

  public static Transport of(Transport transport, ConnectionGate gate) {
    return new GatedTransport(transport, gate);
  }

  @Override
  public String name() {
    return transport.name();
  }

  @Override
  public boolean available() {
    return transport.available();
  }

  @Override
  public Throwable unavailabilityCause() {
    return transport.unavailabilityCause();
  }

  @Override
  public io.vertx.core.spi.transport.Transport implementation() {
    return implementation;
  }

  /** Delegates everything, and adds the gate to server bootstraps. */
  private record Gated(io.vertx.core.spi.transport.Transport d, ConnectionGate gate)
      implements io.vertx.core.spi.transport.Transport {

    @Override
    public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
      d.configure(options, domainSocket, bootstrap);
      bootstrap.handler(gate);
    }

    @Override
    public boolean supportsDomainSockets() {
      return d.supportsDomainSockets();
    }

    @Override
    public boolean supportFileRegion() {
      return d.supportFileRegion();
    }

    @Override
    public boolean isAvailable() {
      return d.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
      return d.unavailabilityCause();
    }

    @Override
    public SocketAddress convert(io.vertx.core.net.SocketAddress address) {
      return d.convert(address);
    }

    @Override
    public io.vertx.core.net.SocketAddress convert(SocketAddress address) {
      return d.convert(address);
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
      return d.ioHandlerFactory();
    }

    @Override
    public EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
      return d.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
    }

    @Override
    public DatagramChannel datagramChannel() {
      return d.datagramChannel();
    }

    @Override
    @SuppressWarnings("deprecation")
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
      return d.datagramChannel(family);
    }

    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
      return d.channelFactory(domainSocket);
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
      return d.serverChannelFactory(domainSocket);
    }

    @Override
    public void configure(DatagramChannel channel, DatagramSocketOptions options) {
      d.configure(channel, options);
    }

    @Override
    public void configure(ClientOptionsBase options, int connectTimeout, boolean domainSocket, Bootstrap bootstrap) {
      d.configure(options, connectTimeout, domainSocket, bootstrap);
    }
  }
}
