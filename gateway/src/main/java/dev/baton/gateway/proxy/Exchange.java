package dev.baton.gateway.proxy;

import dev.baton.gateway.routing.InstancePicker;
import dev.baton.gateway.routing.Upstream;
import dev.baton.gateway.routing.VersionRoute;
import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * One client request relayed to an instance of the version already chosen for it, with at most one retry
 * ({@link Retry}, docs/ARCHITECTURE.md, Gateway). The body streams to the instance ({@link RequestBody}), the response back to the client,
 * both with back-pressure.
 * A request waiting for its response head from an instance whose node Consul marks failed is decided at once by the
 * same rule (docs/ARCHITECTURE.md, Gateway, "Instances on a failed host").
 * Lives on the event loop of the client connection, as does everything that calls it ({@link #hostLost} too, through
 * its event loop's {@link AwaitingHeads}); not thread-safe and needs not be.
 */
final class Exchange extends AwaitingHeads.Waiter {

  private final Relay relay;
  private final HttpServerRequest req;
  private final HttpServerResponse resp;
  private final long start;
  private final String uri;
  private final VersionRoute version;
  /** The body when the request has one, else null. */
  private final RequestBody body;
  /** The instance of the mirror version that gets a copy of this request once its body is complete, or null. */
  private Upstream mirror;
  /** Numbers each attempt: callbacks of an attempt abandoned after a host loss find a newer number and stand down. */
  private int attemptNo;
  private Upstream upstream;
  private boolean holding;
  private boolean retried;
  private boolean finished;
  private boolean clientGone;
  private HttpClientRequest creq;
  /** The connection of the current attempt, or null ({@link UpstreamConnections}). */
  private UpstreamConnections.Pooled pooled;
  /** The instance's response allows its connection to carry another request ({@code Connection} header, version). */
  private boolean keepAlive;
  /** The connection's exchange ended whole (request sent, response relayed): it goes back idle. */
  private boolean reusable;
  /** The request's body went whole to the instance. */
  private boolean bodySent;
  /** A response head arrived: the attempt is past any retry. */
  private boolean answered;

  /**
   * {@code mirror} (or null) gets a copy of a request with a body once the body is complete; {@code buffered} is the
   * body when it was read whole before ({@link BodyBuffer}), else null.
   */
  Exchange(Relay relay, HttpServerRequest req, long start, String uri, VersionRoute version, boolean hasBody,
           Upstream mirror, Buffer buffered) {
    this.relay = relay;
    this.req = req;
    this.resp = req.response();
    this.start = start;
    this.uri = uri;
    this.version = version;
    this.body = !hasBody ? null : buffered != null ? RequestBody.buffered(req, buffered)
        : new RequestBody(req, relay.maxBodyBytes(), Retry.safe(req) || mirror != null, relay.bodyDeadlines());
    this.mirror = hasBody ? mirror : null;
  }

  /** Relays the request to {@code first}. */
  void begin(Upstream first) {
    resp.closeHandler(v -> clientGone());
    if (body != null) {
      req.exceptionHandler(this::badBody);
      if (body.kept()) {
        bodyReceived(); // read whole before: its mirror needs not wait
      }
    }
    attempt(first);
  }

  private void attempt(Upstream u) {
    upstream = u;
    holding = true;
    int n = ++attemptNo;
    u.acquire();
    relay.awaiting().add(this);
    relay.connections().acquire(u, ar -> leased(n, ar));
  }

  private void leased(int n, AsyncResult<UpstreamConnections.Pooled> ar) {
    if (n != attemptNo) {
      if (ar.succeeded()) {
        relay.connections().discard(ar.result()); // abandoned while connecting (host lost): send nothing
      }
      return;
    }
    if (ar.failed()) {
      notConnected(ar.cause());
      return;
    }
    pooled = ar.result();
    pooled.connection.request(relay.exchangeOptions(req.method(), uri)).onComplete(rar -> connected(n, rar));
  }

  private void connected(int n, AsyncResult<HttpClientRequest> ar) {
    if (n != attemptNo) {
      if (ar.succeeded()) {
        ar.result().reset(); // abandoned while connecting (host lost): send nothing
      }
      return;
    }
    if (ar.failed()) {
      notConnected(ar.cause());
      return;
    }
    HttpClientRequest r = ar.result();
    if (clientGone) {
      r.reset();
      finish(499);
      return;
    }
    creq = r;
    r.authority(pooled.authority());
    MultiMap h = r.headers();
    relay.upstreamHeaders(h, req);
    r.response().onComplete(rar -> responded(n, rar));
    if (body == null) {
      r.end();
      return;
    }
    if (!h.contains(HttpHeaders.CONTENT_LENGTH)) {
      r.setChunked(true);
    }
    body.sendTo(r, this);
  }

  /** No connection, or no request on it: nothing was sent, so another instance may be tried ({@link Retry}). */
  private void notConnected(Throwable cause) {
    Upstream failed = upstream;
    release();
    if (clientGone) {
      finish(499);
      return;
    }
    // A busy pool is not a failing instance: not counted towards ejection (docs/ARCHITECTURE.md, "Request bodies").
    boolean busy = UpstreamBusy.busy(cause);
    if (!busy) {
      failed.connectFailed(System.nanoTime());
    }
    retryOrFail(failed, false, busy ? UpstreamFailure.BUSY : UpstreamFailure.CONNECT, cause);
  }

  /** The body passed {@code BATON_MAX_BODY_BYTES} while streaming: 413, and the instance's request is reset. */
  void bodyTooLarge(HttpClientRequest r, long max) {
    refuse(RequestFraming.tooLarge(max));
    r.reset();
  }

  /** The whole body reached the instance: its mirror, if any, gets the kept copy now. */
  void bodyReceived() {
    bodySent = true;
    if (mirror != null && body.kept()) {
      Mirroring.send(relay, req, uri, mirror, body.copy());
    }
    mirror = null;
  }

  /** The streaming body missed its read deadline: the client gets 408, the instance an aborted request. */
  void bodyOverdue(BodyDeadline.Overdue overdue) {
    if (finished) {
      return;
    }
    BodyDeadlines.refuse(req, overdue);
    finish(408);
    // After the 408: the reset fails the attempt at once, and a finished exchange answers nothing more.
    if (creq != null) {
      creq.reset();
    }
  }

  /**
   * The decoder found bad chunked framing (or the client vanished) mid-body: the instance must not see a
   * complete request, and the client gets 400 while the connection is still there to carry it.
   */
  private void badBody(Throwable t) {
    refuse(new RequestFraming.Refusal(400, "bad_framing", "The request body is not valid HTTP/1.1 chunked framing ("
        + t.getMessage() + "); the connection is closed."));
    if (creq != null) {
      creq.reset();
    }
    // Vert.x closes the channel right after this handler, before its end-of-read flush: flush now.
    if (req.connection() instanceof io.vertx.core.net.impl.ConnectionBase c) {
      c.channel().flush();
    }
  }

  private void responded(int n, AsyncResult<HttpClientResponse> ar) {
    if (n != attemptNo) {
      return;
    }
    if (ar.failed()) {
      noResponse(ar.cause());
      return;
    }
    HttpClientResponse cr = ar.result();
    answered = true;
    keepAlive = keepAlive(cr);
    relay.awaiting().remove(this); // a response has begun: a host loss now leaves it to finish or fail by itself
    // Success is an answer, not a pooled connection: a dying instance still hands out pooled connections.
    if (cr.statusCode() >= 500) {
      upstream.answeredServerError(System.nanoTime(), version);
    } else {
      upstream.connectSucceeded();
    }
    if (clientGone || finished) {
      creq.reset();
      return;
    }
    ResponseRelay.start(cr, req, this, relay.versionHeader() ? version.version() : null);
  }

  /** The response reached its end and was relayed whole. */
  void responseEnded(int status) {
    reusable = keepAlive && (body == null || bodySent) && !clientGone;
    finish(status);
  }

  /** HTTP/1.1 keeps the connection unless the instance says {@code close}; HTTP/1.0 only when it says keep-alive. */
  private static boolean keepAlive(HttpClientResponse cr) {
    String c = cr.getHeader(HttpHeaders.CONNECTION);
    if (cr.version() == HttpVersion.HTTP_1_1) {
      return c == null || !HeaderHygiene.connectionNamed(c).contains("close");
    }
    return c != null && HeaderHygiene.connectionNamed(c).contains("keep-alive");
  }

  /** The instance's response broke off after its head: the client's is reset, as it cannot be completed. */
  void responseBroken() {
    if (finished) {
      return;
    }
    resp.reset();
    finish(502);
  }

  private void noResponse(Throwable cause) {
    Upstream failed = upstream;
    release();
    if (clientGone || finished) {
      finish(499);
      return;
    }
    // The upstream timeout is the pool connection's idle timeout (no per-request timer on the hot path): a
    // connection closed by it fails the request after the timeout has elapsed. Timeouts are not retried.
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    if (cause instanceof TimeoutException || elapsedMs >= relay.upstreamTimeoutMs()) {
      fail(504, "upstream_timeout", "The instance of " + version.app() + " " + version.version()
          + " did not answer within " + relay.upstreamTimeoutMs() + " ms (BATON_UPSTREAM_TIMEOUT_MS).");
      return;
    }
    failed.failedBeforeResponse(System.nanoTime());
    retryOrFail(failed, true, UpstreamFailure.RESET, cause);
  }

  @Override
  Upstream awaited() {
    return upstream;
  }

  /** Abandons the attempt to {@code lost} if no response byte came yet, and retries or answers as {@link Retry} says. */
  @Override
  void hostLost(Upstream lost) {
    if (finished || upstream != lost || !holding || answered) {
      return;
    }
    boolean sent = creq != null;
    attemptNo++;
    if (sent) {
      if (body != null) {
        body.detach(); // the rest of the body has nowhere to go: the request to the lost instance is reset
      }
      creq.reset();
      creq = null;
    }
    release();
    if (clientGone) {
      finish(499);
      return;
    }
    retryOrFail(lost, sent, UpstreamFailure.HOST_LOST, null);
  }

  /** The one retry path: after a failure before any response byte, another instance when {@link Retry} allows. */
  private void retryOrFail(Upstream failed, boolean sent, UpstreamFailure failure, Throwable cause) {
    boolean safe = Retry.safe(req);
    boolean kept = body != null && body.kept();
    Upstream next = retried ? null : InstancePicker.pick(version, failed, System.nanoTime(), ThreadLocalRandom.current());
    if (Retry.decide(sent, safe, body != null, kept, retried, next != null) == Retry.Outcome.RETRY) {
      retried = true;
      attempt(next);
      return;
    }
    String message = failure.message(version, cause, Retry.whyNot(sent, safe, body != null, kept, retried));
    if (failure == UpstreamFailure.BUSY) {
      UpstreamBusy.answer(req, message);
      finish(503);
      return;
    }
    fail(502, failure.error(), message);
  }

  private void clientGone() {
    if (finished) {
      return;
    }
    clientGone = true;
    if (creq != null) {
      creq.reset();
    }
    if (creq != null || !holding) {
      finish(499);
    }
  }

  private void refuse(RequestFraming.Refusal r) {
    if (finished) {
      return;
    }
    GatewayErrors.sendAndClose(req, r.status(), r.error(), r.message());
    finish(r.status());
  }

  private void fail(int status, String error, String message) {
    GatewayErrors.send(req, status, error, message);
    finish(status);
  }

  private void release() {
    if (holding) {
      holding = false;
      relay.awaiting().remove(this);
      upstream.release();
    }
    if (pooled != null) {
      if (reusable) {
        relay.connections().recycle(pooled);
      } else {
        relay.connections().discard(pooled);
      }
      pooled = null;
      reusable = false;
    }
  }

  private void finish(int status) {
    if (finished) {
      return;
    }
    finished = true;
    if (body != null) {
      body.stopDeadline();
    }
    release();
    upstream.observer().completed(status, System.nanoTime() - start);
  }
}
