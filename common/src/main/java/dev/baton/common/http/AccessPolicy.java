package dev.baton.common.http;

import dev.baton.common.config.BatonConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;

/**
 * Who may call a baton HTTP API (docs/ARCHITECTURE.md "Configuration"): the operator token ({@code BATON_TOKEN})
 * may do everything; the read token ({@code BATON_READ_TOKEN}) may call GET and HEAD (reads, metrics, event
 * streams) and gets 403 {@code forbidden} for anything else; no token or a wrong one gets 401
 * {@code unauthorized}. Without an operator token (allowed only on loopback, see
 * {@link dev.baton.common.config.TokenRule}) the API is open. A presented token is compared with both tokens, in
 * constant time, whatever the method.
 */
public record AccessPolicy(Optional<String> operatorToken, Optional<String> readToken) {

  /** What a request's credential allows. */
  public enum Access { NONE, READ, OPERATOR }

  public static AccessPolicy from(BatonConfig config) {
    return new AccessPolicy(config.bearerToken(), config.readToken());
  }

  /** True when no operator token is configured: everyone is an operator. */
  public boolean open() {
    return operatorToken.isEmpty();
  }

  /** What the {@code Authorization} header {@code authorization} (may be null) allows. */
  public Access access(String authorization) {
    if (open()) {
      return Access.OPERATOR;
    }
    String presented = BearerToken.presented(authorization);
    boolean operator = BearerToken.matches(operatorToken.get(), presented);
    boolean reader = readToken.isPresent() && BearerToken.matches(readToken.get(), presented);
    return operator ? Access.OPERATOR : reader ? Access.READ : Access.NONE;
  }

  /** Why a request with {@code method} and {@code authorization} is refused, or empty when it may proceed. */
  public Optional<ApiException> refusal(HttpMethod method, String authorization) {
    return switch (access(authorization)) {
      case OPERATOR -> Optional.empty();
      case READ -> isRead(method) ? Optional.empty() : Optional.of(new ApiException(403, "forbidden",
          "the read token (BATON_READ_TOKEN) allows only GET and HEAD; " + method.name()
              + " needs the operator token (BATON_TOKEN)."));
      case NONE -> Optional.of(new ApiException(401, "unauthorized", "this endpoint needs 'Authorization: Bearer "
          + "<token>' with the operator token (BATON_TOKEN)" + (readToken.isPresent()
          ? " or, for GET and HEAD, the read token (BATON_READ_TOKEN)." : ".")));
    };
  }

  /** Lets the request through (true), or answers it with 401 or 403 in the one error shape (false). */
  public boolean admit(HttpServerRequest request) {
    Optional<ApiException> refused = refusal(request.method(), request.getHeader("Authorization"));
    refused.ifPresent(e -> {
      if (e.status() == 401) {
        request.response().putHeader("WWW-Authenticate", "Bearer");
      }
      ApiErrors.send(request.response(), e.status(), e.toApiError());
    });
    return refused.isEmpty();
  }

  private static boolean isRead(HttpMethod method) {
    return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
  }
}
