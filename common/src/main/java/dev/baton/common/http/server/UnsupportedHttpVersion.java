package dev.baton.common.http.server;

/**
 * A request line whose version is neither {@code HTTP/1.1} nor {@code HTTP/1.0}: the HTTP/2 prior-knowledge
 * preface ({@code PRI * HTTP/2.0}), {@code HTTP/1.2}, {@code HTTP/3.0} or bytes that are no version at all. The
 * decoder marks such a request invalid with this cause; {@link InvalidRequests} answers it 505.
 */
public final class UnsupportedHttpVersion extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;
  /** How much of the version a message repeats: enough to recognise it, not a place to echo a payload. */
  private static final int SHOWN = 32;

  private final String version;

  public UnsupportedHttpVersion(String version) {
    super("unsupported HTTP version");
    this.version = version.length() > SHOWN ? version.substring(0, SHOWN) + "…" : version;
  }

  /** The version as the request line gave it, shortened. */
  public String version() {
    return version;
  }
}
