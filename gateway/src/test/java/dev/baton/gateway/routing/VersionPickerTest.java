package dev.baton.gateway.routing;

import static dev.baton.gateway.routing.Fixtures.instances;
import static dev.baton.gateway.routing.Fixtures.policy;
import static dev.baton.gateway.routing.Fixtures.request;
import static dev.baton.gateway.routing.Fixtures.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VersionPickerTest {

  private static List<InstanceInfo> twoVersions() {
    List<InstanceInfo> all = new ArrayList<>(instances("shop", "1.0.0", 1, 2));
    all.addAll(instances("shop", "2.0.0", 3));
    return all;
  }

  private static AppRoute app(String policyJson) {
    return table(Map.of(), Map.of("shop", policy(policyJson)), twoVersions(), null).app("shop");
  }

  private static String split(double stable, double canary) {
    return "{\"app\":\"shop\",\"split\":[{\"version\":\"1.0.0\",\"weight\":" + stable + "},"
        + "{\"version\":\"2.0.0\",\"weight\":" + canary + "}]";
  }

  static Stream<Arguments> rules() {
    String rules = ",\"rules\":[{\"match\":{\"header\":\"X-Baton-Preview\",\"equals\":\"green\"},\"version\":\"2.0.0\"},"
        + "{\"match\":{\"cookie\":\"beta\",\"equals\":\"yes\"},\"version\":\"2.0.0\"},"
        + "{\"match\":{\"query\":\"v\",\"equals\":\"old\"},\"version\":\"1.0.0\"}]}";
    return Stream.of(
        Arguments.of(split(100, 0) + rules, Map.of("X-Baton-Preview", "green"), Map.of(), Map.of(), "2.0.0"),
        Arguments.of(split(100, 0) + rules, Map.of("x-baton-preview", "green"), Map.of(), Map.of(), "2.0.0"),
        Arguments.of(split(100, 0) + rules, Map.of("X-Baton-Preview", "blue"), Map.of(), Map.of(), "1.0.0"),
        Arguments.of(split(100, 0) + rules, Map.of(), Map.of("beta", "yes"), Map.of(), "2.0.0"),
        Arguments.of(split(0, 100) + rules, Map.of(), Map.of(), Map.of("v", "old"), "1.0.0"),
        Arguments.of(split(0, 100) + rules, Map.of("X-Baton-Preview", "green"), Map.of(), Map.of("v", "old"), "2.0.0"),
        Arguments.of(split(0, 100) + rules, Map.of(), Map.of(), Map.of("v", "OLD"), "2.0.0"));
  }

  @ParameterizedTest(name = "[{index}] {4}")
  @MethodSource("rules")
  void rulesBeatTheSplitInOrder(String policyJson, Map<String, String> headers, Map<String, String> cookies,
                                Map<String, String> query, String expected) {
    AppRoute shop = app(policyJson);
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 100; i++) {
      assertThat(VersionPicker.pick(shop, request(headers, cookies, query), random).version()).isEqualTo(expected);
    }
  }

  @Test
  void ruleToVersionWithoutInstancesAnswersNoVersion() {
    AppRoute shop = app(split(100, 0) + ",\"rules\":[{\"match\":{\"header\":\"X-V\",\"equals\":\"3\"},\"version\":\"3.0.0\"}]}");
    assertThat(VersionPicker.pick(shop, request(Map.of("X-V", "3"), Map.of(), Map.of()), new SplittableRandom(1))).isNull();
  }

  @Test
  void weightedSplitFollowsBasisPoints() {
    AppRoute shop = app(split(87.5, 12.5) + "}");
    SplittableRandom random = new SplittableRandom(42);
    int canary = 0;
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      if (VersionPicker.pick(shop, Fixtures.empty(), random).version().equals("2.0.0")) {
        canary++;
      }
    }
    assertThat(canary / (double) n).isCloseTo(0.125, within(0.005));
  }

  @Test
  void stickyBucketGoesToTheNewVersionIffBelowWeightTimes100() {
    for (double w : new double[] {0, 10, 33.33, 50, 100}) {
      AppRoute shop = app(split(100 - w, w) + ",\"sticky\":{\"header\":\"X-User-Id\"}}");
      for (int bucket = 0; bucket < StickyBucket.BUCKETS; bucket += 7) {
        String expected = bucket < Math.round(w * 100) ? "2.0.0" : "1.0.0";
        assertThat(VersionPicker.sticky(shop, bucket).version()).as("bucket %d at %s%%", bucket, w).isEqualTo(expected);
      }
    }
  }

  @Test
  void stickyUserNeverFlipsBackAsWeightGrows() {
    Map<String, String> seen = new HashMap<>();
    SplittableRandom random = new SplittableRandom(3);
    int[] onCanary = new int[3];
    double[] steps = {10, 50, 100};
    for (int s = 0; s < steps.length; s++) {
      AppRoute shop = app(split(100 - steps[s], steps[s]) + ",\"sticky\":{\"header\":\"X-User-Id\"}}");
      for (int u = 0; u < 10_000; u++) {
        String user = "user-" + u;
        String v = VersionPicker.pick(shop, request(Map.of("X-User-Id", user), Map.of(), Map.of()), random).version();
        String before = seen.put(user, v);
        if ("2.0.0".equals(before)) {
          assertThat(v).as("%s was on the canary at an earlier step", user).isEqualTo("2.0.0");
        }
        // The same user twice in one step sees the same version.
        assertThat(VersionPicker.pick(shop, request(Map.of("X-User-Id", user), Map.of(), Map.of()), random).version())
            .isEqualTo(v);
        if (v.equals("2.0.0")) {
          onCanary[s]++;
        }
      }
    }
    assertThat(onCanary[0] / 10_000.0).isCloseTo(0.10, within(0.02));
    assertThat(onCanary[1] / 10_000.0).isCloseTo(0.50, within(0.02));
    assertThat(onCanary[2]).isEqualTo(10_000);
  }

  @Test
  void stickyCookieWorksAndMissingKeyFallsBackToRandom() {
    AppRoute shop = app(split(50, 50) + ",\"sticky\":{\"cookie\":\"uid\"}}");
    String first = VersionPicker.pick(shop, request(Map.of(), Map.of("uid", "alice"), Map.of()), new SplittableRandom(1)).version();
    for (int i = 0; i < 50; i++) {
      assertThat(VersionPicker.pick(shop, request(Map.of(), Map.of("uid", "alice"), Map.of()), new SplittableRandom(i))
          .version()).isEqualTo(first);
    }
    SplittableRandom random = new SplittableRandom(9);
    long distinct = Stream.generate(() -> VersionPicker.pick(shop, Fixtures.empty(), random).version()).limit(200)
        .distinct().count();
    assertThat(distinct).isEqualTo(2);
  }

  @Test
  void stickyBucketOfAMissingVersionIsScaledOntoTheVersionsThatServe() {
    String p = "{\"app\":\"shop\",\"split\":[{\"version\":\"1.0.0\",\"weight\":50},{\"version\":\"2.0.0\",\"weight\":40},"
        + "{\"version\":\"9.9.9\",\"weight\":10}],\"sticky\":{\"header\":\"X-User-Id\"}}";
    AppRoute shop = table(Map.of(), Map.of("shop", policy(p)), twoVersions(), null).app("shop");
    assertThat(VersionPicker.sticky(shop, 500)).isNotNull();
    assertThat(VersionPicker.sticky(shop, 500).version()).isEqualTo(VersionPicker.sticky(shop, 500).version());
    assertThat(VersionPicker.sticky(shop, 1500).version()).isEqualTo("2.0.0");
    assertThat(VersionPicker.sticky(shop, 9999).version()).isEqualTo("1.0.0");
  }
}
