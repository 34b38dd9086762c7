package dev.baton.common.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpServerOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StrictRequestDecoderTest {

  private static final String NEXT = "GET /next HTTP/1.1\r\nHost: x\r\n\r\n";

  private final HttpServerOptions options = new HttpServerOptions();
  private final StrictRequestDecoder decoder = new StrictRequestDecoder(options, new HeadDeadlines(options, 30_000));
  private final EmbeddedChannel channel = new EmbeddedChannel(decoder);

  /** The requests decoded from {@code bytes}, in order. */
  private List<HttpRequest> feed(String bytes) {
    channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
    List<HttpRequest> out = new ArrayList<>();
    for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
      if (o instanceof HttpRequest r) {
        out.add(r);
      }
      ReferenceCountUtil.release(o);
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP/1.2", "HTTP/3.0", "HTTP/2.0", "http/1.1", "HTTP/1.1.1", "FOO/1.1", "HTTP/01.1"})
  void aVersionOtherThan10Or11IsUnsupportedAnsweredIn11AndEndsTheConnectionsInput(String version) {
    List<HttpRequest> got = feed("GET / " + version + "\r\nHost: x\r\n\r\n" + NEXT);
    assertThat(got).hasSize(1);
    assertThat(got.get(0).decoderResult().cause()).isInstanceOf(UnsupportedHttpVersion.class);
    assertThat(((UnsupportedHttpVersion) got.get(0).decoderResult().cause()).version()).isEqualTo(version);
    assertThat(got.get(0).protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
  }

  @Test
  void theHttp2PrefaceIsAnUnsupportedVersionAndItsFramesAreNotRead() {
    List<HttpRequest> got = feed("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\u0000\u0000\u0000\u0004\u0000\u0000\u0000\u0000\u0000"
        + NEXT);
    assertThat(got).hasSize(1);
    assertThat(got.get(0).decoderResult().cause()).isInstanceOf(UnsupportedHttpVersion.class);
  }

  @Test
  void http11And10Pass() {
    List<HttpRequest> got = feed("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.0\r\n\r\n");
    assertThat(got).extracting(HttpRequest::uri).containsExactly("/a", "/b");
    assertThat(got).allMatch(r -> r.decoderResult().isSuccess());
    assertThat(got.get(1).protocolVersion()).isEqualTo(HttpVersion.HTTP_1_0);
  }

  @Test
  void afterARefusalNothingMoreIsDecodedAndTheConnectionIsMarked() {
    assertThat(feed("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")).hasSize(1);
    assertThat(decoder.refused()).isFalse();
    decoder.refuse();
    assertThat(feed(NEXT)).isEmpty();
    assertThat(decoder.stoppedReading()).isTrue();
    assertThat(decoder.refused()).as("requests decoded before are dropped").isTrue();
  }

  @Test
  void anInvalidRequestStopsTheDecoderButIsNoRefusalOfTheRequestsBeforeIt() {
    List<HttpRequest> got = feed("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.2\r\n\r\n" + NEXT);
    assertThat(got).extracting(HttpRequest::uri).containsExactly("/a", "/bad-request");
    assertThat(decoder.stoppedReading()).isTrue();
    assertThat(decoder.refused()).as("the invalid request is still answered").isFalse();
  }

  @Test
  void nothingAfterARequestWithContentLengthAndTransferEncodingIsDecoded() {
    List<HttpRequest> got = feed("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "0\r\n\r\n" + NEXT);
    assertThat(got).hasSize(1);
    assertThat(got.get(0).decoderResult().isSuccess()).isFalse();
  }

  @Test
  void nothingAfterARequestLineWithAControlCharacterIsDecoded() {
    List<HttpRequest> got = feed("GET /a\u0001 HTTP/1.1\r\nHost: x\r\n\r\n" + NEXT);
    assertThat(got).hasSize(1);
    assertThat(got.get(0).decoderResult().isSuccess()).isFalse();
  }
}
