package dev.baton.testsupport;

import java.util.Map;
import java.util.UUID;

/**
 * The API tokens of a test stack (docs/ARCHITECTURE.md "Configuration"): every service runs with an operator token
 * ({@code BATON_TOKEN}) and a read token ({@code BATON_READ_TOKEN}), random per stack, as production must.
 */
public record StackTokens(String operator, String read) {

  public static StackTokens random() {
    return new StackTokens("op-" + UUID.randomUUID(), "read-" + UUID.randomUUID());
  }

  /** {@code BATON_TOKEN} and {@code BATON_READ_TOKEN} for a service's environment. */
  public Map<String, String> env() {
    return Map.of("BATON_TOKEN", operator, "BATON_READ_TOKEN", read);
  }
}
