package dev.baton.common.bus;

/**
 * Commands an agent answers on {@code baton.agent.<agentId>}; the action travels in the
 * {@link Addresses#ACTION_HEADER} header. Bodies: {@code START} a StartInstanceRequest (reply: the
 * Instance once healthy and registered), {@code STOP} {@code {"id"}} (reply: the Instance once stopped),
 * {@code LIST} anything (reply: {@code {"instances": [...]}}), {@code GET} {@code {"id"}}.
 * Failures are {@code ReplyException}s whose failure code is the HTTP status and whose message is the
 * JSON error body.
 */
public enum AgentAction {
  START, STOP, LIST, GET;

  public String header() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static AgentAction parse(String header) {
    return header == null ? null : switch (header) {
      case "start" -> START;
      case "stop" -> STOP;
      case "list" -> LIST;
      case "get" -> GET;
      default -> null;
    };
  }
}
