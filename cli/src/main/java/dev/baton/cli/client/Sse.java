package dev.baton.cli.client;

import java.util.Iterator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Server-Sent Events from a stream of lines: {@code event:}/{@code data:} fields, a blank line ends an event. */
public final class Sse {

  /** One event; {@code name} is "message" when the server named none. */
  public record Event(String name, String data) {
  }

  private Sse() {
  }

  /** Reads events until the stream ends (the server closed it) or {@code sink} throws; comments are skipped. */
  public static void read(Stream<String> lines, Consumer<Event> sink) {
    String name = null;
    StringBuilder data = null;
    for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
      String line = it.next();
      if (line.isEmpty()) {
        if (data != null) {
          sink.accept(new Event(name == null ? "message" : name, data.toString()));
        }
        name = null;
        data = null;
      } else if (line.startsWith(":")) {
        continue;
      } else if (line.startsWith("event:")) {
        name = value(line, 6);
      } else if (line.startsWith("data:")) {
        data = data == null ? new StringBuilder(value(line, 5)) : data.append('\n').append(value(line, 5));
      }
    }
  }

  private static String value(String line, int from) {
    String v = line.substring(from);
    return v.startsWith(" ") ? v.substring(1) : v;
  }
}
