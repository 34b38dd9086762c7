package dev.baton.gateway.routing;

/** Receives the outcome of each exchange with one instance; metrics implement it, tests count it. */
public interface UpstreamObserver {

  UpstreamObserver NONE = new UpstreamObserver() {
    @Override
    public void completed(int status, long nanos) {
    }

    @Override
    public void connectFailed() {
    }
  };

  /** A request to the instance starts ({@link Upstream#acquire()}); called on every request, so it must be cheap. */
  default void started() {
  }

  /** A response (of any status) was relayed after {@code nanos} from the start of the request. */
  void completed(int status, long nanos);

  /** No connection could be made to the instance. */
  void connectFailed();
}
