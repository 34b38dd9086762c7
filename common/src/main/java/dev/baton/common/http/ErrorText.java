package dev.baton.common.http;

/**
 * The text of an unexpected failure as an error body may carry it: never a file path (docs/ARCHITECTURE.md,
 * Registry, "No file paths in errors"). A file-system exception names the file it failed on, and the layout of a
 * service's data dir is nobody's business but its host's; such a failure is described by its kind only, and
 * the service's log keeps the details.
 */
public final class ErrorText {

  private ErrorText() {
  }

  /** {@code e}'s message, or, when {@code e} or a cause of it is a file-system failure, its kind only. */
  public static String of(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (namesAFile(t)) {
        return "a file operation failed (" + t.getClass().getSimpleName() + "; the log has the details)";
      }
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static boolean namesAFile(Throwable t) {
    return t instanceof java.nio.file.FileSystemException || t instanceof java.io.FileNotFoundException
        || t instanceof io.vertx.core.file.FileSystemException;
  }
}
