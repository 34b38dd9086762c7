package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.cli.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StrategyFlagsTest {

  @TempDir
  Path dir;

  private static Map<String, Object> strategy(String... flags) {
    ReleaseCommand cmd = new ReleaseCommand();
    String[] args = new String[flags.length + 2];
    args[0] = "shop";
    args[1] = "2.0.0";
    System.arraycopy(flags, 0, args, 2, flags.length);
    new CommandLine(cmd).parseArgs(args);
    return cmd.strategy();
  }

  @Test
  void canaryStepsCarryThePauseExceptTheLastFullStep() {
    assertThat(Json.write(strategy("--canary", "10,50,100", "--pause", "30s"))).isEqualTo(
        "{\"type\":\"canary\",\"steps\":[{\"weight\":10,\"pauseSeconds\":30},{\"weight\":50,\"pauseSeconds\":30},{\"weight\":100}]}");
    assertThat(Json.write(strategy("--canary", "10,50", "--pause", "manual", "--sticky-header", "X-User-Id"))).isEqualTo(
        "{\"type\":\"canary\",\"steps\":[{\"weight\":10,\"pause\":\"manual\"},{\"weight\":50,\"pause\":\"manual\"}],"
            + "\"sticky\":{\"header\":\"X-User-Id\"}}");
  }

  @Test
  void minHealthyAndTheProgressDeadlineGoWithEveryStrategyButNotAlone() {
    assertThat(Json.write(strategy("--canary", "50,100", "--min-healthy", "10s", "--progress-deadline", "15m"))).isEqualTo(
        "{\"type\":\"canary\",\"steps\":[{\"weight\":50},{\"weight\":100}],\"minHealthySeconds\":10,"
            + "\"progressDeadlineSeconds\":900}");
    assertThat(Json.write(strategy("--blue-green", "--progress-deadline", "2m"))).isEqualTo(
        "{\"type\":\"blue-green\",\"progressDeadlineSeconds\":120}");
    assertThat(Json.write(strategy("--rolling", "--min-healthy", "5s"))).isEqualTo(
        "{\"type\":\"rolling\",\"mode\":\"surge\",\"minHealthySeconds\":5}");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> strategy("--progress-deadline", "2m"))
        .hasMessageContaining("--progress-deadline belongs to a strategy; add --rolling, --canary or --blue-green");
  }

  @Test
  void abortGradualSendsItsBodyAndStepDownNeedsGradual() {
    OperateCommand.Abort abort = new OperateCommand.Abort();
    new CommandLine(abort).parseArgs("shop", "--gradual", "--step-down", "20s");
    assertThat(Json.write(abort.body())).isEqualTo("{\"gradual\":true,\"stepDownSeconds\":20}");
    OperateCommand.Abort plain = new OperateCommand.Abort();
    new CommandLine(plain).parseArgs("shop");
    assertThat(plain.body()).isNull();
    OperateCommand.Abort stray = new OperateCommand.Abort();
    new CommandLine(stray).parseArgs("shop", "--step-down", "20s");
    org.assertj.core.api.Assertions.assertThatThrownBy(stray::body).hasMessageContaining("--step-down belongs to --gradual");
  }

  @Test
  void aStepMayCarryItsOwnPause() {
    assertThat(Json.write(strategy("--canary", "10:1m30s,50:manual,100", "--pause", "5s"))).isEqualTo(
        "{\"type\":\"canary\",\"steps\":[{\"weight\":10,\"pauseSeconds\":90},{\"weight\":50,\"pause\":\"manual\"},{\"weight\":100}]}");
  }

  @Test
  void analysisFlagsImplyAnalysis() {
    assertThat(Json.write(strategy("--canary", "20,100", "--min-requests", "20", "--interval", "5s"))).isEqualTo(
        "{\"type\":\"canary\",\"steps\":[{\"weight\":20},{\"weight\":100}],\"analysis\":{\"minRequests\":20,\"intervalSeconds\":5}}");
  }

  @Test
  void theBaselineAnalysisFieldsHaveTheirFlags() {
    assertThat(Json.write(strategy("--canary", "50,100", "--max-error-rate-increase", "0.02", "--confidence", "0.99",
        "--min-p99-increase", "40ms", "--warmup", "5s"))).isEqualTo(
        "{\"type\":\"canary\",\"steps\":[{\"weight\":50},{\"weight\":100}],\"analysis\":{\"maxErrorRateIncrease\":0.02,"
            + "\"confidence\":0.99,\"minP99IncreaseMs\":40,\"warmupSeconds\":5}}");
  }

  @Test
  void blueGreenAndRolling() {
    assertThat(Json.write(strategy("--blue-green", "--preview-header", "X-Preview=yes", "--scale-down-delay", "2m")))
        .isEqualTo("{\"type\":\"blue-green\",\"preview\":{\"header\":\"X-Preview\",\"equals\":\"yes\"},\"scaleDownDelaySeconds\":120}");
    assertThat(Json.write(strategy("--rolling", "--in-place"))).isEqualTo("{\"type\":\"rolling\",\"mode\":\"in-place\"}");
    assertThat(Json.write(strategy("--rolling", "--max-surge", "2"))).isEqualTo("{\"type\":\"rolling\",\"mode\":\"surge\",\"maxSurge\":2}");
    assertThat(strategy()).isNull();
  }

  @Test
  void bakeGoesWithCanaryAndBlueGreenAndBlueGreenTakesTheAnalysisFlagsOnlyWithIt() {
    assertThat(Json.write(strategy("--canary", "50,100", "--bake", "10m"))).isEqualTo(
        "{\"type\":\"canary\",\"steps\":[{\"weight\":50},{\"weight\":100}],\"bakeSeconds\":600}");
    assertThat(Json.write(strategy("--blue-green", "--bake", "1m", "--interval", "10s"))).isEqualTo(
        "{\"type\":\"blue-green\",\"analysis\":{\"intervalSeconds\":10},\"bakeSeconds\":60}");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> strategy("--rolling", "--bake", "1m"))
        .hasMessageContaining("--bake belongs to --canary or --blue-green");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> strategy("--blue-green", "--analysis"))
        .hasMessageContaining("belongs to --canary (or --blue-green with --bake)");
  }

  @Test
  void combinationsThatMakeNoSenseExitTwoWithOneLineBeforeAnythingIsSent() throws Exception {
    Path spec = Files.writeString(dir.resolve("s.yaml"), "type: rolling\n");
    String[][] bad = {
        {"--canary", "10,100", "--blue-green"},
        {"--pause", "30s"},
        {"--rolling", "--preview-header", "X=1"},
        {"--blue-green", "--max-surge", "1"},
        {"--rolling", "--in-place", "--max-surge", "1"},
        {"--canary", "50,10"},
        {"--canary", "10,abc"},
        {"--canary", "10,100", "--pause", "soon"},
        {"--blue-green", "--preview-header", "novalue"},
        {"-f", spec.toString(), "--canary", "10,100"},
        {"--rolling", "--max-surge", "0", "--max-unavailable", "0"},
        {"--bake", "5m"},
        {"--canary", "100", "--bake", "soon"},
    };
    for (String[] flags : bad) {
      String[] args = new String[flags.length + 5];
      args[0] = "--registry";
      args[1] = Cli.NOWHERE; // reaching it would be exit 1: exit 2 proves nothing was sent
      args[2] = "release";
      args[3] = "shop";
      args[4] = "2.0.0";
      System.arraycopy(flags, 0, args, 5, flags.length);
      Cli r = Cli.run(dir.resolve("c.yaml"), args);
      assertThat(r.code()).as(String.join(" ", flags)).isEqualTo(2);
      assertThat(r.err().strip().lines()).as(String.join(" ", flags)).hasSize(1);
      assertThat(r.err()).startsWith("baton: ");
    }
  }

  @Test
  void aStrategyFileIsTheRegistrysObjectOrWrapsIt() throws Exception {
    Path f = Files.writeString(dir.resolve("s.yaml"), "strategy:\n  type: canary\n  steps:\n    - weight: 10\n      pause: manual\n");
    assertThat(Json.write(strategy("-f", f.toString())))
        .isEqualTo("{\"type\":\"canary\",\"steps\":[{\"weight\":10,\"pause\":\"manual\"}]}");
    Path notOne = Files.writeString(dir.resolve("n.yaml"), "instances: 3\n");
    Cli r = Cli.run(dir.resolve("c.yaml"), "--registry", Cli.NOWHERE, "release", "shop", "2.0.0", "-f", notOne.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("is not a strategy");
  }
}
