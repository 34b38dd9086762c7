package dev.baton.common.config;

import dev.baton.common.consul.ConsulAccess;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Loads a service's configuration: defaults &lt; the JSON/YAML file named by {@code BATON_CONFIG} &lt;
 * {@code BATON_*} environment variables. {@link #resolve} is a pure function of (file, env); every
 * malformed value is reported at once, naming the key and where the value came from.
 *
 * <p>File keys are the env names in lowerCamel without {@code BATON_} ({@code httpPort} for
 * {@code BATON_HTTP_PORT}); one level of nesting is flattened ({@code consul: {host: x}} is
 * {@code consulHost}); lists are joined with commas. {@code CONSUL_HTTP_TOKEN}, Consul's own variable, stands
 * for {@code BATON_CONSUL_TOKEN} when neither the file nor the environment sets that.
 */
public final class ConfigLoader {

  public static final String CONFIG_FILE_ENV = "BATON_CONFIG";
  private static final String PREFIX = "BATON_";

  private ConfigLoader() {
  }

  /** Reads {@code BATON_CONFIG} if set and resolves against the process environment. */
  public static BatonConfig load(ServiceKind service, Map<String, String> env, String hostname) {
    String file = env.get(CONFIG_FILE_ENV);
    ConfigSource source = null;
    if (file != null && !file.isBlank()) {
      try {
        source = new ConfigSource(file, Files.readString(Path.of(file)));
      } catch (IOException | RuntimeException e) {
        throw new ConfigException(List.of(CONFIG_FILE_ENV + ": cannot read config file '" + file + "': " + e));
      }
    }
    return resolve(service, source, env, hostname);
  }

  /** The pure core: defaults, then {@code file} (may be null), then {@code env}. */
  public static BatonConfig resolve(ServiceKind service, ConfigSource file, Map<String, String> env, String hostname) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> origin = new LinkedHashMap<>();
    if (file != null) {
      parseFile(file).forEach((k, v) -> {
        values.put(k, v);
        origin.put(k, fileKey(k) + " in " + file.name());
      });
    }
    env.forEach((k, v) -> {
      if (k.startsWith(PREFIX) && !k.equals(CONFIG_FILE_ENV)) {
        values.put(k, v);
        origin.put(k, k);
      }
    });
    // Consul's own CLI reads CONSUL_HTTP_TOKEN; so does baton when no BATON_CONSUL_TOKEN is given (docs/consul.md).
    String cliToken = env.get(ConsulAccess.CONSUL_CLI_TOKEN);
    if (!values.containsKey(ConsulAccess.TOKEN) && cliToken != null && !cliToken.isBlank()) {
      values.put(ConsulAccess.TOKEN, cliToken);
      origin.put(ConsulAccess.TOKEN, ConsulAccess.CONSUL_CLI_TOKEN);
    }
    return new Resolver(service, values, origin, hostname).build();
  }

  /** {@code BATON_HTTP_PORT} → {@code httpPort}. */
  public static String fileKey(String envKey) {
    String[] parts = envKey.substring(PREFIX.length()).toLowerCase(Locale.ROOT).split("_");
    StringBuilder sb = new StringBuilder(parts[0]);
    for (int i = 1; i < parts.length; i++) {
      sb.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
    }
    return sb.toString();
  }

  /** {@code httpPort} → {@code BATON_HTTP_PORT}. */
  public static String envKey(String fileKey) {
    return PREFIX + fileKey.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  static Map<String, String> parseFile(ConfigSource file) {
    Object root;
    String name = file.name().toLowerCase(Locale.ROOT);
    try {
      if (name.endsWith(".json")) {
        root = new JsonObject(file.content()).getMap();
      } else {
        root = new Yaml(new SafeConstructor(new LoaderOptions())).load(file.content());
      }
    } catch (DecodeException | YAMLException e) {
      throw new ConfigException(List.of(CONFIG_FILE_ENV + ": config file '" + file.name()
          + "' is not valid " + (name.endsWith(".json") ? "JSON" : "YAML") + ": " + firstLine(e.getMessage())));
    }
    if (root == null) {
      return Map.of();
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new ConfigException(List.of(CONFIG_FILE_ENV + ": config file '" + file.name()
          + "' must hold a mapping of keys to values"));
    }
    Map<String, String> out = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    flatten("", map, out, problems, file.name());
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return out;
  }

  private static void flatten(String parent, Map<?, ?> map, Map<String, String> out, List<String> problems,
                              String fileName) {
    map.forEach((k, v) -> {
      String key = parent.isEmpty() ? String.valueOf(k)
          : parent + Character.toUpperCase(String.valueOf(k).charAt(0)) + String.valueOf(k).substring(1);
      if (!key.matches("[a-z][A-Za-z0-9]*")) {
        problems.add("'" + key + "' in " + fileName + " is not a config key (use lowerCamel names such as httpPort)");
      } else if (v instanceof Map<?, ?> nested && parent.isEmpty()) {
        flatten(key, nested, out, problems, fileName);
      } else if (v instanceof Map<?, ?>) {
        problems.add(key + " in " + fileName + " is nested too deeply");
      } else if (v instanceof List<?> list) {
        out.put(envKey(key), String.join(",", list.stream().map(String::valueOf).toList()));
      } else if (v != null) {
        out.put(envKey(key), String.valueOf(v));
      }
    });
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
