package dev.baton.common.config;

/** An inclusive range of TCP ports, e.g. {@code 20000-20999}. */
public record PortRange(int first, int last) {

  public boolean contains(int port) {
    return port >= first && port <= last;
  }

  public int size() {
    return last - first + 1;
  }

  @Override
  public String toString() {
    return first + "-" + last;
  }
}
