package dev.baton.e2e.compose;

import dev.baton.common.config.ServiceKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A read-only view of the repository's {@code docker-compose.yml}, parsed with SnakeYAML (anchors and
 * {@code <<} merge keys resolved), plus the {@code ENV} lines of the Dockerfile each baton service is
 * built from, because an image's {@code ENV} reaches the service the same way compose's
 * {@code environment} does.
 */
final class ComposeFile {

  /** One compose service. */
  record Service(String name, Map<String, Object> body, Path root) {

    /** Which baton service the image runs, from the Dockerfile it is built from; empty for Consul. */
    Optional<ServiceKind> kind() {
      return dockerfile().flatMap(f -> {
        for (ServiceKind k : ServiceKind.values()) {
          if (f.equals(k.key + "/Dockerfile")) {
            return Optional.of(k);
          }
        }
        return Optional.empty();
      });
    }

    Optional<String> dockerfile() {
      return Optional.ofNullable(map(body.get("build"))).map(b -> String.valueOf(b.getOrDefault("dockerfile", "Dockerfile")));
    }

    Optional<String> buildContext() {
      return Optional.ofNullable(map(body.get("build"))).map(b -> String.valueOf(b.get("context")));
    }

    /** The image's {@code ENV} then compose's {@code environment} (which wins), as the process sees them. */
    Map<String, String> env() {
      Map<String, String> env = new LinkedHashMap<>();
      dockerfile().ifPresent(f -> env.putAll(dockerfileEnv(root.resolve(f))));
      env.putAll(composeEnv());
      return env;
    }

    /** Only the {@code environment} section. */
    Map<String, String> composeEnv() {
      Map<String, String> env = new LinkedHashMap<>();
      Object raw = body.get("environment");
      if (raw instanceof Map<?, ?> m) {
        m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
      } else if (raw instanceof List<?> l) {
        for (Object item : l) {
          String s = String.valueOf(item);
          int eq = s.indexOf('=');
          env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
        }
      }
      return env;
    }

    /** Published ports as {@code (hostIp or "", hostPort, containerPort)}. */
    List<Published> ports() {
      List<Published> out = new ArrayList<>();
      Object raw = body.get("ports");
      if (raw instanceof List<?> l) {
        for (Object item : l) {
          String[] parts = String.valueOf(item).split(":");
          switch (parts.length) {
            case 2 -> out.add(new Published("", Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
            case 3 -> out.add(new Published(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
            default -> throw new IllegalArgumentException(name + ": port '" + item + "' is not [ip:]host:container");
          }
        }
      }
      return out;
    }

    /** Names under {@code depends_on}, with their condition (null for the short list form). */
    Map<String, String> dependsOn() {
      Map<String, String> out = new LinkedHashMap<>();
      Object raw = body.get("depends_on");
      if (raw instanceof Map<?, ?> m) {
        m.forEach((k, v) -> out.put(String.valueOf(k), map(v) == null ? null : String.valueOf(map(v).get("condition"))));
      } else if (raw instanceof List<?> l) {
        l.forEach(k -> out.put(String.valueOf(k), null));
      }
      return out;
    }

    /** The healthcheck's test as one string, or empty when there is none. */
    Optional<String> healthcheck() {
      Map<String, Object> hc = map(body.get("healthcheck"));
      if (hc == null || hc.get("test") == null) {
        return Optional.empty();
      }
      Object test = hc.get("test");
      return Optional.of(test instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList())
          : String.valueOf(test));
    }
  }

  /** A published port. */
  record Published(String hostIp, int hostPort, int containerPort) {
  }

  private static final Pattern ENV_LINE = Pattern.compile("^ENV\\s+(.*)$");
  private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S*)");

  private final Path root;
  private final Map<String, Object> document;

  private ComposeFile(Path root, Map<String, Object> document) {
    this.root = root;
    this.document = document;
  }

  static ComposeFile read(Path root) {
    Path file = root.resolve("docker-compose.yml");
    try {
      Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
      return new ComposeFile(root, map(doc));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  Map<String, Service> services() {
    Map<String, Service> out = new LinkedHashMap<>();
    map(document.get("services")).forEach((name, body) -> out.put(name, new Service(name, map(body), root)));
    return out;
  }

  /** {@code KEY=value} pairs of every {@code ENV} instruction (with {@code \} continuations) of a Dockerfile. */
  static Map<String, String> dockerfileEnv(Path dockerfile) {
    Map<String, String> env = new LinkedHashMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(dockerfile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dockerfile, e);
    }
    StringBuilder logical = new StringBuilder();
    for (String line : lines) {
      if (line.stripLeading().startsWith("#")) {
        continue;
      }
      if (line.endsWith("\\")) {
        logical.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      logical.append(line);
      Matcher m = ENV_LINE.matcher(logical.toString().strip());
      if (m.matches()) {
        Matcher pair = ENV_PAIR.matcher(m.group(1));
        while (pair.find()) {
          env.put(pair.group(1), pair.group(2).replace("\"", ""));
        }
      }
      logical.setLength(0);
    }
    return env;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
  }
}
