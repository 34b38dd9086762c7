package dev.baton.agent.process;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The variables of the agent's own environment an instance inherits (docs/ARCHITECTURE.md, Agent, "Instance
 * environment"): exact names, and prefixes written {@code NAME*}. Everything else the agent was started with
 * stays with the agent. {@code BATON_*} can never be allowed: it holds the agent's token and settings.
 */
public record EnvAllowList(Set<String> names, List<String> prefixes) {

  /** What a service gets from systemd or Nomad's raw_exec: the search path, the locale, the time zone, the JDK, the temp dir. */
  public static final String DEFAULT = "PATH,LANG,LC_ALL,LC_*,TZ,JAVA_HOME,TMPDIR";

  private static final Pattern ENTRY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}\\*?");
  private static final String RESERVED = "BATON_";

  public EnvAllowList {
    names = Set.copyOf(names);
    prefixes = List.copyOf(prefixes);
  }

  /**
   * The default list plus {@code extra}, a comma-separated list of names and {@code PREFIX*} entries (the
   * value of {@code BATON_INSTANCE_ENV_ALLOW}; blank adds nothing).
   *
   * @throws IllegalArgumentException naming the first entry that is not a variable name or would admit {@code BATON_*}
   */
  public static EnvAllowList parse(String extra) {
    Set<String> names = new LinkedHashSet<>();
    List<String> prefixes = new ArrayList<>();
    String all = DEFAULT + (extra == null || extra.isBlank() ? "" : "," + extra);
    for (String raw : all.split(",")) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        continue;
      }
      if (!ENTRY.matcher(entry).matches()) {
        throw new IllegalArgumentException("'" + entry + "' is not a variable name or a NAME* prefix");
      }
      boolean prefix = entry.endsWith("*");
      String stem = prefix ? entry.substring(0, entry.length() - 1) : entry;
      if (stem.startsWith(RESERVED) || prefix && RESERVED.startsWith(stem)) {
        throw new IllegalArgumentException("'" + entry + "' would pass the agent's own BATON_* settings (its token"
            + " among them) to every app; give an app a value through its spec's env instead");
      }
      if (prefix) {
        prefixes.add(stem);
      } else {
        names.add(stem);
      }
    }
    return new EnvAllowList(names, prefixes);
  }

  public boolean allows(String name) {
    if (name.startsWith(RESERVED)) {
      return false;
    }
    return names.contains(name) || prefixes.stream().anyMatch(name::startsWith);
  }

  /** The allowed part of {@code env}, in its order. */
  public Map<String, String> filter(Map<String, String> env) {
    Map<String, String> out = new LinkedHashMap<>();
    env.forEach((k, v) -> {
      if (allows(k)) {
        out.put(k, v);
      }
    });
    return out;
  }
}
