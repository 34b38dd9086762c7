package dev.baton.cli.config;

import dev.baton.cli.io.Yaml;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The CLI's config file (docs/cli.md, "Contexts"): {@code current-context} and {@code contexts: {name: {registry,
 * token|tokenFile, ca}}}. It holds tokens, so it is written 0600, through a temporary file and a rename.
 */
public final class ContextStore {

  /** Points the CLI at another config file (not {@code BATON_CONFIG}: that one is the services' config file). */
  public static final String CONFIG_ENV = "BATON_CLI_CONFIG";

  private final Path file;
  private final Map<String, Context> contexts = new TreeMap<>();
  private String current;

  private ContextStore(Path file) {
    this.file = file;
  }

  /** {@code BATON_CLI_CONFIG}, else {@code $XDG_CONFIG_HOME/baton/config.yaml}, else {@code ~/.config/baton/config.yaml}. */
  public static Path location(Map<String, String> env) {
    String explicit = env.get(CONFIG_ENV);
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = env.get("XDG_CONFIG_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
    return base.resolve("baton").resolve("config.yaml");
  }

  /** Reads the file; a missing file is an empty store. */
  public static ContextStore load(Path file) {
    ContextStore store = new ContextStore(file);
    if (!Files.exists(file)) {
      return store;
    }
    try {
      String text = Files.readString(file);
      if (text.isBlank()) {
        return store;
      }
      Map<String, Object> root = Yaml.object(text, "the config file " + file);
      Object cur = root.get("current-context");
      store.current = cur == null ? null : cur.toString();
      if (root.get("contexts") instanceof Map<?, ?> all) {
        all.forEach((name, value) -> {
          if (value instanceof Map<?, ?> m) {
            store.contexts.put(name.toString(), Context.fromMap(name.toString(), m));
          }
        });
      }
      return store;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the config file " + file + ": " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  public Optional<Context> get(String name) {
    return Optional.ofNullable(contexts.get(name));
  }

  public Optional<Context> current() {
    return current == null ? Optional.empty() : get(current);
  }

  public String currentName() {
    return current;
  }

  public Map<String, Context> all() {
    return Map.copyOf(contexts);
  }

  public void put(Context c) {
    contexts.put(c.name(), c);
  }

  public boolean remove(String name) {
    if (name.equals(current)) {
      current = null;
    }
    return contexts.remove(name) != null;
  }

  public void use(String name) {
    if (!contexts.containsKey(name)) {
      throw new IllegalArgumentException("no context '" + name + "'; baton context list shows them");
    }
    current = name;
  }

  /** Writes the file 0600 (its directory 0700 when created). */
  public void save() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("current-context", current);
    Map<String, Object> all = new LinkedHashMap<>();
    contexts.values().forEach(c -> all.put(c.name(), c.toMap()));
    root.put("contexts", all);
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        if (posix) {
          Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
      }
      Path tmp = posix ? Files.createTempFile(dir, ".config", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
          : Files.createTempFile(dir, ".config", ".tmp");
      Files.writeString(tmp, "# baton CLI contexts (docs/cli.md); holds tokens: keep it 0600\n" + Yaml.write(root));
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the config file " + file + ": " + e.getMessage(), e);
    }
  }
}
