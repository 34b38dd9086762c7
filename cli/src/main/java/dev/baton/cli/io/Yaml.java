package dev.baton.cli.io;

import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

/** YAML in (spec and strategy files; JSON is read too, being YAML) and out ({@code -o yaml}), with SnakeYAML. */
public final class Yaml {

  private Yaml() {
  }

  private static org.yaml.snakeyaml.Yaml yaml() {
    DumperOptions d = new DumperOptions();
    d.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    d.setIndent(2);
    d.setIndicatorIndent(0);
    LoaderOptions l = new LoaderOptions();
    l.setAllowDuplicateKeys(false);
    // Safe types only: maps, lists and scalars, never an arbitrary class named by a tag.
    return new org.yaml.snakeyaml.Yaml(new SafeConstructor(l), new Representer(d), d, l);
  }

  /** A YAML (or JSON) document that must be a mapping; {@link IllegalArgumentException} saying what is wrong. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(String text, String what) {
    Object v;
    try {
      v = yaml().load(text);
    } catch (MarkedYAMLException e) {
      throw new IllegalArgumentException(what + " is not YAML: " + e.getProblem()
          + (e.getProblemMark() == null ? "" : " at line " + (e.getProblemMark().getLine() + 1)), e);
    } catch (YAMLException e) {
      throw new IllegalArgumentException(what + " is not YAML: " + e.getMessage(), e);
    }
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException(what + " must be a mapping of fields (e.g. 'instances: 3'), not "
          + (v == null ? "empty" : "a " + (v instanceof Iterable ? "list" : "single value")));
    }
    ((Map<Object, Object>) v).keySet().forEach(k -> {
      if (!(k instanceof String)) {
        throw new IllegalArgumentException(what + ": the key " + k + " is not a name");
      }
    });
    return (Map<String, Object>) v;
  }

  /** YAML of a value built from maps, lists and scalars. */
  public static String write(Object value) {
    return yaml().dump(value);
  }
}
