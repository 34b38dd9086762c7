package dev.baton.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testsupport.ConsulExtension;
import dev.baton.testsupport.Poll;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Shadow traffic: the mirror version sees a share of the requests, the client only the serving version. */
class MirrorIT {

  @RegisterExtension
  static final ConsulExtension CONSUL = new ConsulExtension();
  private static final Pattern SLOW_MARK = Pattern.compile("slow request started \\((\\d+) ms\\)");

  static Stack stack;
  static Stack.Instance blue;
  static Stack.Instance green;

  @BeforeAll
  static void start() {
    stack = new Stack(CONSUL);
    blue = stack.instance("shop", "1.0.0");
    green = stack.instance("shop", "2.0.0");
    stack.startGateway(Map.of());
    stack.awaitInstances("shop", List.of(blue.id(), green.id()));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void mirrorVersionSeesItsShareWhileClientsOnlySeeTheServingVersion() throws Exception {
    stack.putPolicy("shop", "{\"app\":\"shop\",\"revision\":1,\"split\":[{\"version\":\"1.0.0\",\"weight\":100}],"
        + "\"mirror\":{\"version\":\"2.0.0\",\"percent\":50}}");
    stack.awaitRevision("shop", 1);
    // A distinct duration marks this test's requests in the instances' logs.
    for (int i = 0; i < 200; i++) {
      Http.Reply r = stack.http.get(stack.url("/slow?ms=7"));
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.batonVersion()).as("the client is served by the split, never by the mirror").isEqualTo("1.0.0");
    }
    assertThat(marks(blue)).isEqualTo(200);
    // Mirrored requests are sent beside the real ones and may still be arriving: poll for the share.
    Poll.until(Duration.ofSeconds(10), () -> marks(green) >= 70, "the mirror version got about half of the requests");
    assertThat(marks(green)).as("50% of 200, within random spread").isBetween(70, 130);

    stack.putPolicy("shop", "{\"app\":\"shop\",\"revision\":2,\"split\":[{\"version\":\"1.0.0\",\"weight\":100}]}");
    stack.awaitRevision("shop", 2);
    int before = marks(green);
    for (int i = 0; i < 50; i++) {
      assertThat(stack.http.get(stack.url("/slow?ms=7")).status()).isEqualTo(200);
    }
    assertThat(marks(blue)).isEqualTo(250);
    assertThat(marks(green)).as("no mirror once the policy drops it").isEqualTo(before);
  }

  /** How many {@code /slow?ms=7} requests the instance logged. */
  private static int marks(Stack.Instance instance) throws Exception {
    Matcher m = SLOW_MARK.matcher(Files.readString(instance.process().logFile()));
    int n = 0;
    while (m.find()) {
      if (m.group(1).equals("7")) {
        n++;
      }
    }
    return n;
  }
}
