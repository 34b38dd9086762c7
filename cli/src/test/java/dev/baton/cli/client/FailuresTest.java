package dev.baton.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.cli.config.Target;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FailuresTest {

  private static final Target ENV_TOKEN = new Target("http://r:8090", "BATON_REGISTRY_URL", "t", "BATON_TOKEN", null, null);

  @Test
  void aWrongTokenNamesWhereItCameFrom() {
    CliException e = Failures.status("registry", "http://r:8090", 401,
        "{\"error\":\"unauthorized\",\"message\":\"missing or wrong bearer token\"}", ENV_TOKEN);
    assertThat(e.getMessage()).isEqualTo("the registry at http://r:8090 refused the token from BATON_TOKEN (401 unauthorized)"
        + " — check the token, or pass --token / set BATON_TOKEN");
    assertThat(e.exitCode()).isEqualTo(1);
    Target none = new Target("http://r:8090", "x", null, null, null, null);
    assertThat(Failures.status("registry", "http://r:8090", 401, "", none).getMessage()).contains("refused no token");
  }

  @Test
  void aReadTokenOnAWriteSaysTheOperatorTokenIsNeeded() {
    assertThat(Failures.status("registry", "http://r:8090", 403, "{}", ENV_TOKEN).getMessage())
        .contains("for reading only (403 forbidden) — this needs the operator token");
  }

  @Test
  void anErrorAnswerIsItsMessageWithAHint() {
    CliException e = Failures.status("registry", "u", 409,
        "{\"error\":\"release_in_progress\",\"message\":\"shop.1 is PAUSED\"}", ENV_TOKEN);
    assertThat(e.getMessage()).isEqualTo("error: shop.1 is PAUSED — baton status APP shows it: promote, resume or abort it first");
    assertThat(e.httpStatus()).isEqualTo(409);
    assertThat(Failures.status("registry", "u", 400, "{\"error\":\"invalid\",\"message\":\"bad spec\","
        + "\"fields\":[{\"field\":\"instances\",\"message\":\"must be >= 0\"}]}", ENV_TOKEN).getMessage())
        .isEqualTo("error: bad spec (instances: must be >= 0)");
    assertThat(Failures.status("registry", "u", 502, "<html>Bad gateway</html>", ENV_TOKEN).getMessage())
        .isEqualTo("error: <html>Bad gateway</html>");
  }

  @Test
  void unreachableSaysWhatToDo() {
    assertThat(Failures.unreachable("registry", "http://r", new ConnectException()).getMessage())
        .isEqualTo("cannot reach the registry at http://r (connection refused) — start it with ./baton dev or pass"
            + " --registry (or BATON_REGISTRY_URL, or a context)");
  }

  @Test
  void sseEventsAreSplitOnBlankLinesAndCommentsSkipped() {
    List<Sse.Event> got = new ArrayList<>();
    Sse.read(Stream.of(": subscribed", "", "event: release.progressing", "data: {\"a\":1}", "", ": keepalive", "",
        "data: x", "data: y", ""), got::add);
    assertThat(got).containsExactly(new Sse.Event("release.progressing", "{\"a\":1}"), new Sse.Event("message", "x\ny"));
  }
}
