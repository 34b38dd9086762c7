package dev.baton.cli;

import dev.baton.cli.client.CliException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --gate on=step,url=http://smoke:8080/check[,timeoutSeconds=60][,onTimeout=abort|wait]}, repeatable: the
 * release request's {@code gates} (docs/registry-api.md, "Gates"). Only the shape is checked here; the registry
 * checks the values (an unknown {@code on}, a URL that is not http(s)) and names the field.
 */
final class GateFlags {

  private static final List<String> KEYS = List.of("on", "url", "timeoutSeconds", "onTimeout");

  private GateFlags() {
  }

  static List<Map<String, Object>> parse(List<String> flags) {
    List<Map<String, Object>> gates = new ArrayList<>();
    for (String flag : flags == null ? List.<String>of() : flags) {
      Map<String, Object> gate = new LinkedHashMap<>();
      // A URL may hold commas: split only before a known key.
      for (String part : flag.split(",(?=(on|url|timeoutSeconds|onTimeout)=)")) {
        int eq = part.indexOf('=');
        String key = eq < 0 ? part : part.substring(0, eq);
        if (eq < 0 || !KEYS.contains(key)) {
          throw CliException.usage("--gate takes on=<point>,url=<http(s) URL>[,timeoutSeconds=N][,onTimeout=abort|wait],"
              + " got '" + flag + "'");
        }
        String value = part.substring(eq + 1);
        if (key.equals("timeoutSeconds")) {
          try {
            gate.put(key, Integer.parseInt(value));
          } catch (NumberFormatException e) {
            throw CliException.usage("--gate timeoutSeconds must be a whole number of seconds, got '" + value + "'");
          }
        } else {
          gate.put(key, value);
        }
      }
      if (!gate.containsKey("on") || !gate.containsKey("url")) {
        throw CliException.usage("--gate needs on= and url=, e.g. --gate on=step,url=http://smoke:8080/check");
      }
      gates.add(gate);
    }
    return gates;
  }
}
