package dev.baton.gateway.routing;

/** What version selection may read from a request; values are looked up lazily, only when a policy asks. */
public interface RequestView {

  String header(String name);

  String cookie(String name);

  String query(String name);
}
