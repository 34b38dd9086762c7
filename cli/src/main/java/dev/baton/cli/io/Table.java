package dev.baton.cli.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain-text table: upper-case headers, columns padded to their widest cell, two spaces apart. */
public final class Table {

  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  private Table(List<String> headers) {
    this.headers = headers;
  }

  public static Table of(String... headers) {
    return new Table(Arrays.stream(headers).map(String::toUpperCase).toList());
  }

  public Table row(Object... cells) {
    List<String> r = new ArrayList<>();
    for (Object c : cells) {
      r.add(c == null || "".equals(c) ? "-" : c.toString());
    }
    rows.add(r);
    return this;
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  /** The table's lines, the last column not padded (no trailing blanks). */
  public List<String> lines() {
    int[] width = new int[headers.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(headers);
    all.addAll(rows);
    for (List<String> r : all) {
      for (int i = 0; i < width.length && i < r.size(); i++) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    List<String> out = new ArrayList<>();
    for (List<String> r : all) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < width.length; i++) {
        String cell = i < r.size() ? r.get(i) : "-";
        b.append(i == width.length - 1 ? cell : pad(cell, width[i] + 2));
      }
      out.add(b.toString().stripTrailing());
    }
    return out;
  }

  @Override
  public String toString() {
    return String.join("\n", lines());
  }

  static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
