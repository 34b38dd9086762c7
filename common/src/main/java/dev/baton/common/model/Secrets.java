package dev.baton.common.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which configured values the API does not show (docs/registry-api.md, "App view"): an environment variable whose
 * name contains SECRET, TOKEN, PASSWORD, PASSWD, PASSPHRASE, CREDENTIAL, PRIVATE or KEY (any case) is served as
 * {@value #MASK}; so is the value of a command argument {@code --name=value} or {@code NAME=value} whose name does.
 * The stored config keeps the real values: agents need them.
 */
public final class Secrets {

  public static final String MASK = "***";
  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(SECRET|TOKEN|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|PRIVATE|KEY).*");

  private Secrets() {
  }

  public static boolean isSecret(String name) {
    return SECRET_NAME.matcher(name).matches();
  }

  /** {@code env} with the value of each secret-looking name replaced by {@value #MASK}. */
  public static Map<String, String> redact(Map<String, String> env) {
    Map<String, String> out = new TreeMap<>();
    env.forEach((k, v) -> out.put(k, isSecret(k) ? MASK : v));
    return out;
  }

  /** {@code argv} with the value of each {@code name=value} argument whose name looks secret replaced. */
  public static List<String> redact(List<String> argv) {
    List<String> out = new ArrayList<>();
    for (String arg : argv) {
      int eq = arg.indexOf('=');
      out.add(eq > 0 && isSecret(arg.substring(0, eq)) ? arg.substring(0, eq + 1) + MASK : arg);
    }
    return out;
  }
}
