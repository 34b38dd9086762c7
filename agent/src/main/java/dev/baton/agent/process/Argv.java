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
   * The instance's environment, in layers, each overriding the one before: the allowed part of the agent's own
   * environment ({@code BATON_*} never: the token must not reach apps), the identity of the user it runs as
   * ({@code HOME}, {@code USER}, {@code LOGNAME} with {@code runAs}), the requested env, and last {@code PORT}
   * and {@code BATON_INSTANCE_ID}, which the agent owns.
   */
  public static Map<String, String> environment(Map<String, String> inherited, EnvAllowList allowed,
                                                Map<String, String> identity, Map<String, String> requested,
                                                int port, String instanceId) {
    Map<String, String> env = new LinkedHashMap<>(allowed.filter(inherited));
    env.putAll(identity);
    env.putAll(requested);
    env.put("PORT", Integer.toString(port));
    env.put("BATON_INSTANCE_ID", instanceId);
    return env;
  }
}
