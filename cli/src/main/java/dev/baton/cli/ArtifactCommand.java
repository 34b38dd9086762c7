package dev.baton.cli;

import dev.baton.cli.client.CliException;
import dev.baton.cli.io.Values;
import dev.baton.cli.io.Views;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code baton artifact push|list|delete}: an app's versions (immutable jars) on the registry. */
@Command(name = "artifact", mixinStandardHelpOptions = true, description = "Upload, list and delete an app's versions.",
    subcommands = {ArtifactCommand.Push.class, ArtifactCommand.ListArtifacts.class, ArtifactCommand.Delete.class},
    footer = {"", "Examples:", "  baton artifact push shop 2.0.0 target/shop-2.0.0.jar", "  baton artifact list shop",
        "  baton artifact delete shop 1.0.0"})
final class ArtifactCommand {

  /** Progress is drawn for files over this size when stderr is a terminal. */
  static final long PROGRESS_MIN_BYTES = 1 << 20;

  @Command(name = "push", mixinStandardHelpOptions = true,
      description = {"Upload FILE as VERSION of APP; versions are immutable (the same bytes again are fine).",
          "Prints the sha256 the registry recorded; progress on stderr for big files on a terminal."},
      footer = {"", "Example:", "  baton artifact push shop 2.0.0 target/shop-2.0.0.jar"})
  static final class Push extends ApiCommand {
    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Parameters(index = "1", paramLabel = "VERSION")
    String version;

    @Parameters(index = "2", paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() throws IOException {
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw CliException.usage("no readable file " + file);
      }
      long size = Files.size(file);
      if (size == 0) {
        throw CliException.usage(file + " is empty: an artifact is the app's jar");
      }
      String sha = sha256(file);
      boolean tty = System.console() != null && size >= PROGRESS_MIN_BYTES && output() == dev.baton.cli.io.Output.TABLE;
      long[] last = {0};
      Object meta = api().upload("/v1/artifacts/" + seg(app) + "/" + seg(version), file, sent -> {
        long now = System.nanoTime();
        if (tty && (now - last[0] > 100_000_000L || sent == size)) {
          last[0] = now;
          err().print("\r" + bar(sent, size));
          err().flush();
        }
      });
      if (tty) {
        err().println();
      }
      String recorded = Values.str(meta, "sha256");
      if (!recorded.equals(sha)) {
        throw CliException.failed("the registry recorded sha256 " + recorded + " but " + file + " has " + sha
            + " — the file changed during the upload? push it again");
      }
      print(meta, () -> {
        out().println("pushed " + app + " " + version + ": " + Views.bytes(size) + ", sha256 " + sha);
        if (!Values.list(meta, "lagging").isEmpty()) {
          out().println("not yet on every registry (they catch up by themselves): " + Values.list(meta, "lagging"));
        }
      });
      return 0;
    }

    static String bar(long sent, long size) {
      int pct = (int) (sent * 100 / Math.max(1, size));
      int filled = pct * 30 / 100;
      return String.format("uploading [%s%s] %3d%%  %s / %s", "#".repeat(filled), " ".repeat(30 - filled), pct,
          Views.bytes(sent), Views.bytes(size));
    }

    static String sha256(Path file) throws IOException {
      try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
        return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
      description = "The app's versions with size, sha256 and upload time, and the storage used.",
      footer = {"", "Examples:", "  baton artifact list shop", "  baton artifact list shop -o json"})
  static final class ListArtifacts extends ApiCommand {
    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() {
      Object list = api().get("/v1/artifacts/" + seg(app));
      print(list, () -> lines(Views.artifacts((Map<String, Object>) list)));
      return 0;
    }
  }

  @Command(name = "delete", aliases = "rm", mixinStandardHelpOptions = true,
      description = "Delete a version no longer needed (the registry refuses one in use, naming why).",
      footer = {"", "Example:", "  baton artifact delete shop 1.0.0"})
  static final class Delete extends ApiCommand {
    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Parameters(index = "1", paramLabel = "VERSION")
    String version;

    @Override
    public Integer call() {
      Object deleted = api().delete("/v1/artifacts/" + seg(app) + "/" + seg(version));
      print(deleted, () -> out().println("deleted " + app + " " + version + " (" + Views.bytes((long) Values.num(deleted, "size", 0))
          + ")"));
      return 0;
    }
  }
}
