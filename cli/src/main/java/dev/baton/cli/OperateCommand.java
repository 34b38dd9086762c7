package dev.baton.cli;

import dev.baton.cli.client.CliException;
import dev.baton.cli.io.Values;
import dev.baton.cli.io.Views;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code baton promote|pause|resume|abort APP|RELEASE-ID}: an operation on a release; an app name means its active
 * release (release ids hold a '.', app names never do).
 */
abstract class OperateCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "APP|RELEASE", description = "an app (its active release) or a release id")
  String target;

  abstract String op();

  /** The operation's body; null: none. */
  Object body() {
    return null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Integer call() {
    Object body = body();
    String id = releaseOf(this, target);
    Object r = api().post("/v1/releases/" + seg(id) + "/" + op(), body);
    print(r, () -> lines(Views.release((Map<String, Object>) r)));
    return 0;
  }

  /** The release id {@code target} names: itself when it is one, else the app's active release. */
  static String releaseOf(ApiCommand cmd, String target) {
    if (target.contains(".")) {
      return target;
    }
    Object view = cmd.api().get("/v1/apps/" + seg(target));
    Map<String, Object> active = Values.map(view, "activeRelease");
    Map<String, Object> warm = Values.map(view, "warm");
    if (active.isEmpty() && !warm.isEmpty()) {
      throw CliException.failed("error: " + target + " has no active release; " + Values.str(warm, "version")
          + " is kept warm until " + Values.str(warm, "until") + ": baton rollback " + target
          + " flips traffic back to it in one route revision");
    }
    if (active.isEmpty()) {
      throw CliException.failed("error: " + target + " has no active release — baton history " + target
          + " lists its releases; pass a release id to act on one");
    }
    return Values.str(active, "id");
  }

  @Command(name = "promote", mixinStandardHelpOptions = true,
      description = "Canary: end the current step's pause. Blue-green: switch all traffic to green now.",
      footer = {"", "Examples:", "  baton promote shop", "  baton promote shop.20261130T150102-ab12"})
  static final class Promote extends OperateCommand {
    @Override
    String op() {
      return "promote";
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true,
      description = "Hold the release where it is (a timed step keeps the time it had left).",
      footer = {"", "Example:", "  baton pause shop"})
  static final class Pause extends OperateCommand {
    @Override
    String op() {
      return "pause";
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Undo a pause (a manual canary step needs promote).",
      footer = {"", "Example:", "  baton resume shop"})
  static final class Resume extends OperateCommand {
    @Override
    String op() {
      return "resume";
    }
  }

  @Command(name = "abort", mixinStandardHelpOptions = true,
      description = {"Send all traffic back to the previous version, restore it, stop the new one.",
          "--gradual (canary): first step the weight back down the steps taken, e.g. 50% -> 10% -> 0%."},
      footer = {"", "Examples:", "  baton abort shop", "  baton abort shop --gradual --step-down 20s"})
  static final class Abort extends OperateCommand {
    @Option(names = "--gradual", description = "canary: step the weight back down the steps taken before rolling back")
    boolean gradual;

    @Option(names = "--step-down", paramLabel = "DURATION",
        description = "with --gradual: hold each weight this long (default: the step's pause, at most 30s; 10s)")
    String stepDown;

    @Override
    String op() {
      return "abort";
    }

    @Override
    Object body() {
      if (stepDown != null && !gradual) {
        throw CliException.usage("--step-down belongs to --gradual; add --gradual or drop it");
      }
      if (!gradual) {
        return null;
      }
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("gradual", true);
      if (stepDown != null) {
        b.put("stepDownSeconds", Durations.seconds(stepDown, "--step-down"));
      }
      return b;
    }
  }
}
