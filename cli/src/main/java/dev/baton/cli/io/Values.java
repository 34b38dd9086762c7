package dev.baton.cli.io;

import java.util.List;
import java.util.Map;

/** Null-safe reads of parsed JSON/YAML values (maps, lists, scalars); a missing or mistyped value reads as empty. */
public final class Values {

  private Values() {
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Object node, String key) {
    Object v = node instanceof Map<?, ?> m ? m.get(key) : null;
    return v instanceof Map ? (Map<String, Object>) v : Map.of();
  }

  @SuppressWarnings("unchecked")
  public static List<Object> list(Object node, String key) {
    Object v = node instanceof Map<?, ?> m ? m.get(key) : null;
    return v instanceof List ? (List<Object>) v : List.of();
  }

  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> maps(Object node, String key) {
    return list(node, key).stream().filter(o -> o instanceof Map).map(o -> (Map<String, Object>) o).toList();
  }

  /** The value as text; {@code ""} when missing or null. */
  public static String str(Object node, String key) {
    Object v = node instanceof Map<?, ?> m ? m.get(key) : null;
    return v == null ? "" : v instanceof Double d ? num(d) : v.toString();
  }

  public static double num(Object node, String key, double fallback) {
    Object v = node instanceof Map<?, ?> m ? m.get(key) : null;
    return v instanceof Number n ? n.doubleValue() : fallback;
  }

  public static boolean has(Object node, String key) {
    return node instanceof Map<?, ?> m && m.get(key) != null;
  }

  /** A number without a needless {@code .0}: 10.0 → "10", 12.5 → "12.5". */
  public static String num(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
  }
}
