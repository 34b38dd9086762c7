package dev.baton.cli.client;

/** A failure the CLI reports as one line ({@code baton: <message>}) and exits with {@code exitCode} (1, or 2 for usage). */
public final class CliException extends RuntimeException {

  private final int exitCode;
  private final int httpStatus;

  public CliException(int exitCode, String message) {
    this(exitCode, message, 0);
  }

  /** A failure answered by the registry or an agent with {@code httpStatus}. */
  public CliException(int exitCode, String message, int httpStatus) {
    super(message);
    this.exitCode = exitCode;
    this.httpStatus = httpStatus;
  }

  /** The HTTP status of the answer that failed, or 0 when there was none. */
  public int httpStatus() {
    return httpStatus;
  }

  public static CliException usage(String message) {
    return new CliException(2, message);
  }

  public static CliException failed(String message) {
    return new CliException(1, message);
  }

  public int exitCode() {
    return exitCode;
  }
}
