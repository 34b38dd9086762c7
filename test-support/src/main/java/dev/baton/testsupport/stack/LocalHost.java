package dev.baton.testsupport.stack;

import java.util.List;

/** This machine's loopback: services bind {@code 127.0.0.1} and their commands run as they are. */
public final class LocalHost implements Host {

  /** The one local host. */
  public static final LocalHost INSTANCE = new LocalHost();

  private LocalHost() {
  }

  @Override
  public String name() {
    return "local";
  }

  @Override
  public String address() {
    return "127.0.0.1";
  }

  @Override
  public List<String> command(List<String> command) {
    return List.copyOf(command);
  }

  @Override
  public String toString() {
    return "local(127.0.0.1)";
  }
}
