package dev.baton.cli;

import dev.baton.cli.client.CliException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people type them: {@code 30s}, {@code 5m}, {@code 1h}, {@code 1m30s}, or plain seconds. */
final class Durations {

  private static final Pattern PART = Pattern.compile("(\\d+)([hms])");

  private Durations() {
  }

  /** Whole seconds; a usage error naming {@code what} when the text is not a duration. */
  static long seconds(String text, String what) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    if (t.matches("\\d+")) {
      return Long.parseLong(t);
    }
    if (!t.matches("(\\d+[hms])+")) {
      throw CliException.usage(what + " takes a duration like 30s, 5m or 1h; got '" + text + "'");
    }
    long total = 0;
    Matcher m = PART.matcher(t);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total += switch (m.group(2)) {
        case "h" -> n * 3600;
        case "m" -> n * 60;
        default -> n;
      };
    }
    return total;
  }
}
