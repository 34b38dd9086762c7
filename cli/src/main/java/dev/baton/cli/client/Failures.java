package dev.baton.cli.client;

import dev.baton.cli.config.Target;
import dev.baton.cli.io.Json;
import dev.baton.cli.io.Values;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * Turns what can go wrong talking to a registry or an agent into one line that says what to do
 * (docs/cli.md, "Exit codes and errors"). Pure, so every message is unit-tested.
 */
public final class Failures {

  private static final Map<String, String> HINTS = Map.of(
      "not_found", "baton apps lists the apps, baton history APP the releases",
      "release_in_progress", "baton status APP shows it: promote, resume or abort it first",
      "invalid_transition", "baton status APP shows the release's phase",
      "artifact_missing", "push it first: baton artifact push APP VERSION FILE",
      "artifact_exists", "versions are immutable: push under a new version",
      "artifact_in_use", "release another version first, then delete this one",
      "not_leader", "pass --registry with the leader's URL named above",
      "no_previous_version", "baton history APP shows what ran; release a version with baton release APP VERSION",
      "already_current", "nothing to do: that version already serves the app");

  private Failures() {
  }

  /** A transport failure: the registry (or agent) could not be reached at all. */
  public static CliException unreachable(String what, String url, Throwable e) {
    String why = reason(e);
    String hint = what.equals("registry")
        ? " — start it with ./baton dev or pass --registry (or BATON_REGISTRY_URL, or a context)"
        : " — is it running? baton status APP shows its agent";
    if (e instanceof SSLException) {
      hint = " — if it uses a private CA, pass --ca FILE (or add it to the context)";
    }
    return CliException.failed("cannot reach the " + what + " at " + url + " (" + why + ")" + hint);
  }

  static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpConnectTimeoutException) {
        return "connection timed out";
      }
      if (t instanceof HttpTimeoutException) {
        return "no answer in time";
      }
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof UnknownHostException) {
        return "unknown host " + t.getMessage();
      }
      if (t instanceof SSLException) {
        return "TLS: " + t.getMessage();
      }
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** An HTTP error answer: 401/403 name the token and its origin, others print the API's message and a hint. */
  public static CliException status(String what, String url, int status, String body, Target target) {
    String code = "";
    String message = body == null ? "" : body.strip();
    try {
      Map<String, Object> err = Json.object(body);
      code = Values.str(err, "error");
      message = Values.str(err, "message");
      String fields = Values.maps(err, "fields").stream()
          .map(f -> Values.str(f, "field") + ": " + Values.str(f, "message")).reduce((a, b) -> a + "; " + b).orElse("");
      if (!fields.isEmpty() && !message.contains(fields)) {
        message = message + " (" + fields + ")";
      }
    } catch (IllegalArgumentException notJson) {
      // a proxy's page or an empty body: keep the raw text, shortened
      message = message.length() > 200 ? message.substring(0, 200) + "…" : message;
    }
    if (status == 401) {
      return new CliException(1, "the " + what + " at " + url + " refused " + target.describeToken()
          + " (401 unauthorized) — check the token, or pass --token / set BATON_TOKEN", status);
    }
    if (status == 403) {
      return new CliException(1, "the " + what + " at " + url + " accepts " + target.describeToken()
          + " for reading only (403 forbidden) — this needs the operator token (BATON_TOKEN on the registry)", status);
    }
    String hint = HINTS.get(code);
    return new CliException(1, "error: " + (message.isEmpty() ? "HTTP " + status : message)
        + (hint == null ? "" : " — " + hint), status);
  }
}
