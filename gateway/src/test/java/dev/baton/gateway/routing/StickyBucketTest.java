package dev.baton.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StickyBucketTest {

  @ParameterizedTest(name = "murmur3_32(\"{0}\", {1}) = {2}")
  @CsvSource(delimiter = '|', value = {
      "''|0|0x00000000",
      "''|1|0x514E28B7",
      "hello|0|0x248BFA47",
      "Hello, world!|1234|0xFAF6CDB3",
      "The quick brown fox jumps over the lazy dog|0|0x2E4FF723"})
  void murmur3MatchesReferenceVectors(String input, int seed, String expectedHex) {
    int expected = Integer.parseUnsignedInt(expectedHex.substring(2), 16);
    assertThat(StickyBucket.murmur3(input.getBytes(StandardCharsets.UTF_8), seed)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"alice", "bob", "user-42", "ünïcödé"})
  void bucketIsStableAndInRange(String key) {
    int b = StickyBucket.of(key);
    assertThat(b).isBetween(0, StickyBucket.BUCKETS - 1).isEqualTo(StickyBucket.of(new String(key)));
  }
}
