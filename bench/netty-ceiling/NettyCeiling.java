import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * An experiment, not part of baton: the smallest keep-alive reverse proxy on Netty's HTTP codec alone (no
 * Vert.x), for bodiless requests to one backend, on one io_uring event loop. It adds the three
 * X-Forwarded-* headers as the gateway does and relays Netty's message objects without copying headers.
 * It has none of the gateway's checks, routing, retries or metrics. Its purpose is one figure: how close to
 * nginx a JVM proxy on Netty can get on this machine's benchmark, i.e. the ceiling of a rewrite of the
 * gateway's data path below Vert.x (bench/README.md).
 *
 *   java -cp gateway/target/baton-gateway.jar bench/netty-ceiling/NettyCeiling.java LISTEN_PORT BACKEND_PORT
 */
public final class NettyCeiling {

  static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
  static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
  static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");

  public static void main(String[] args) throws Exception {
    int listen = Integer.parseInt(args[0]);
    InetSocketAddress backend = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1]));
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, IoUringIoHandler.newFactory());
    ArrayDeque<Channel> idle = new ArrayDeque<>();
    Bootstrap client = new Bootstrap().group(group).channel(IoUringSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new HttpClientCodec(), new Upstream(idle));
          }
        });
    new ServerBootstrap().group(group).channel(IoUringServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new Downstream(client, backend, idle));
          }
        }).bind("127.0.0.1", listen).sync();
    System.out.println("netty-ceiling listening on " + listen + " -> " + backend);
  }

  /** The client side: relays each request to an idle upstream connection (or a new one). */
  static final class Downstream extends ChannelInboundHandlerAdapter {
    private final Bootstrap client;
    private final InetSocketAddress backend;
    private final ArrayDeque<Channel> idle;
    private Channel up;
    private boolean lastPending;

    Downstream(Bootstrap client, InetSocketAddress backend, ArrayDeque<Channel> idle) {
      this.client = client;
      this.backend = backend;
      this.idle = idle;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest req) {
        String peer = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
        req.headers().set(X_FORWARDED_FOR, peer);
        req.headers().set(X_FORWARDED_PROTO, "http");
        req.headers().set(X_FORWARDED_HOST, req.headers().get(HttpHeaderNames.HOST, ""));
        up = null;
        Channel c = idle.pollLast();
        if (c != null && c.isActive()) {
          bind(ctx.channel(), c);
          c.write(req);
        } else {
          client.connect(backend).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
              ctx.close();
              return;
            }
            bind(ctx.channel(), f.channel());
            f.channel().write(req);
            if (lastPending) {
              lastPending = false;
              f.channel().write(LastHttpContent.EMPTY_LAST_CONTENT);
            }
            f.channel().flush();
          });
        }
      } else if (msg instanceof HttpContent content) {
        if (up != null) {
          up.write(content);
          if (content instanceof LastHttpContent) {
            up.flush();
          }
        } else {
          lastPending = content instanceof LastHttpContent;
          content.release();
        }
      }
    }

    private void bind(Channel down, Channel c) {
      up = c;
      c.pipeline().get(Upstream.class).down = down;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (up != null) {
        up.close();
      }
    }
  }

  /** The upstream side: relays the response, then returns the connection to the idle list. */
  static final class Upstream extends ChannelInboundHandlerAdapter {
    private final ArrayDeque<Channel> idle;
    Channel down;

    Upstream(ArrayDeque<Channel> idle) {
      this.idle = idle;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpResponse r) {
        r.headers().remove(HttpHeaderNames.CONNECTION);
      }
      down.write(msg);
      if (msg instanceof LastHttpContent) {
        idle.addLast(ctx.channel());
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (down != null) {
        down.flush();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      idle.remove(ctx.channel());
    }
  }
}
