package dev.baton.agent.process;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a launch template into the argv and environment of an instance. The template is an argv array, never
 * a shell string: {@code {artifact}} and {@code {port}} are replaced inside each element and nothing else is
 * interpreted, so a value can never inject another argument.
 */
public final class Argv {

  public static final String ARTIFACT = "{artifact}";
  public static final String PORT = "{port}";

  private Argv() {
  }

  public static List<String> render(List<String> template, String artifact, int port) {
    String p = Integer.toString(port);
    return template.stream().map(arg -> arg.replace(ARTIFACT, artifact).replace(PORT, p)).toList();
  }

  /**
   * The instance's environment: the agent's own minus its {@code BATON_*} settings (the token must not leak
   * into apps), then the requested env, then {@code PORT} and {@code BATON_INSTANCE_ID}, which the agent owns.
   */
  public static Map<String, String> environment(Map<String, String> inherited, Map<String, String> requested,
                                                int port, String instanceId) {
    Map<String, String> env = new LinkedHashMap<>();
    inherited.forEach((k, v) -> {
      if (!k.startsWith("BATON_")) {
        env.put(k, v);
      }
    });
    env.putAll(requested);
    env.put("PORT", Integer.toString(port));
    env.put("BATON_INSTANCE_ID", instanceId);
    return env;
  }
}
