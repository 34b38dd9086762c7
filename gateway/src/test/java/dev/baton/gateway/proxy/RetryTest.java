package dev.baton.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.gateway.proxy.Retry.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryTest {

  @ParameterizedTest(name = "sent={0} safe={1} body={2} kept={3} retried={4} another={5} -> {6}")
  @CsvSource({
      // still connecting: nothing reached the instance, so any request moves, as after a failed connect
      "false, false, true,  false, false, true,  RETRY",
      "false, true,  false, false, false, true,  RETRY",
      // sent and safe: a GET, or a body kept whole for a replay
      "true,  true,  false, false, false, true,  RETRY",
      "true,  true,  true,  true,  false, true,  RETRY",
      // sent, safe, but its body was not kept (over 64 KiB, or still arriving): cannot be sent again
      "true,  true,  true,  false, false, true,  FAIL",
      // sent and not safe (a POST without Idempotency-Key): answered now rather than hanging
      "true,  false, true,  true,  false, true,  FAIL",
      "true,  false, false, false, false, true,  FAIL",
      // at most one retry, and only to another instance
      "true,  true,  false, false, true,  true,  FAIL",
      "false, true,  false, false, true,  true,  FAIL",
      "true,  true,  false, false, false, false, FAIL",
      "false, false, false, false, false, false, FAIL",
  })
  void decides(boolean sent, boolean safe, boolean hasBody, boolean kept, boolean retried, boolean another,
               Outcome expected) {
    assertThat(Retry.decide(sent, safe, hasBody, kept, retried, another)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "sent={0} safe={1} body={2} kept={3} retried={4} -> {5}")
  @CsvSource(delimiter = '|', value = {
      "true  | true  | false | false | true  | already been retried",
      "true  | false | true  | true  | false | not safe to send twice",
      "true  | true  | true  | false | false | not kept for a replay",
      "false | false | true  | false | false | no other instance",
      "true  | true  | false | false | false | no other instance",
  })
  void explainsAFailure(boolean sent, boolean safe, boolean hasBody, boolean kept, boolean retried, String says) {
    assertThat(Retry.whyNot(sent, safe, hasBody, kept, retried)).contains(says);
  }
}
