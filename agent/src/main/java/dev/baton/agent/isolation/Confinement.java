package dev.baton.agent.isolation;

import dev.baton.common.http.ApiException;
import dev.baton.common.model.Limits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How one instance process is confined (docs/ARCHITECTURE.md, Agent, "Isolation"): the account it runs as
 * (null: the agent's own), whether the agent must switch to it, and its resource limits, with the programs
 * that apply them. {@link #decide} is the pure judgement of what a request may have on this host.
 */
public record Confinement(Account account, Path setpriv, Limits limits, Path prlimit) {

  /** The agent's own user, no limits. */
  public static final Confinement NONE = new Confinement(null, null, Limits.NONE, null);

  private static final long MIB = 1024L * 1024;

  /**
   * What {@code runAs} and {@code limits} mean on this host, or a 422 {@link ApiException} saying why they
   * cannot be honoured: an unknown user, a user other than the agent's when the agent is not root, a limit
   * above the agent's own hard limit when it is not root, a missing program.
   *
   * @param account the account named {@code runAs}, as the host's user database knows it
   * @param agentUid the uid the agent runs as (0: root)
   */
  public static Confinement decide(String runAs, Limits limits, Optional<Account> account, int agentUid,
                                   HostTools tools, HardLimits hard) {
    Account user = null;
    Path setpriv = null;
    if (runAs != null) {
      user = account.orElseThrow(() -> refuse("unknown_user", "runAs user '" + runAs + "' does not exist on this"
          + " agent's host; create it there (useradd --system " + runAs + ") or change the app's runAs."));
      if (user.uid() != agentUid) {
        if (agentUid != 0) {
          throw refuse("run_as_not_permitted", "this agent runs as uid " + agentUid + ", not root, so it cannot"
              + " start instances as '" + runAs + "'; run the agent as root to use runAs, or remove runAs from the app.");
        }
        setpriv = tools.setpriv().orElseThrow(() -> missing("setpriv", "runAs"));
      }
    }
    Path prlimit = null;
    if (!limits.isEmpty()) {
      prlimit = tools.prlimit().orElseThrow(() -> missing("prlimit", "limits"));
      if (agentUid != 0) {
        checkBelow("limits.memoryMb", limits.memoryMb() == null ? 0 : limits.memoryMb() * MIB, hard.dataBytes(),
            "bytes of data (ulimit -d)");
        checkBelow("limits.openFiles", limits.openFiles() == null ? 0 : limits.openFiles(), hard.openFiles(),
            "open files (ulimit -n)");
      }
    }
    return new Confinement(user, setpriv, limits, prlimit);
  }

  /**
   * {@code argv} behind the programs that apply this confinement: {@code prlimit} first (as root it may raise a
   * hard limit), then {@code setpriv}, which drops to the account. Both exec in place, so the pid the agent
   * records is the app's own. Soft and hard limits are set alike, so the app cannot raise them.
   */
  public List<String> wrap(List<String> argv) {
    List<String> out = new ArrayList<>();
    if (prlimit != null) {
      out.add(prlimit.toString());
      if (limits.memoryMb() != null) {
        out.add("--data=" + limits.memoryMb() * MIB);
      }
      if (limits.openFiles() != null) {
        out.add("--nofile=" + limits.openFiles());
      }
      out.add("--");
    }
    if (setpriv != null) {
      out.addAll(List.of(setpriv.toString(), "--reuid=" + account.uid(), "--regid=" + account.gid(), "--init-groups",
          "--"));
    }
    out.addAll(argv);
    return out;
  }

  /** Whether the process runs as another user than the agent (its directory then belongs to that user). */
  public boolean switchesUser() {
    return setpriv != null;
  }

  /** {@code HOME}, {@code USER} and {@code LOGNAME} of the account, as systemd sets them for {@code User=}; none without runAs. */
  public Map<String, String> identityEnv() {
    return account == null ? Map.of()
        : Map.of("HOME", account.home(), "USER", account.name(), "LOGNAME", account.name());
  }

  private static void checkBelow(String field, long wanted, long hard, String what) {
    if (wanted > hard) {
      throw refuse("limit_too_high", field + " asks for " + wanted + " but this agent, not being root, may give at"
          + " most " + hard + " " + what + "; lower the app's limit or raise the agent's own.");
    }
  }

  private static ApiException missing(String program, String field) {
    return refuse("tool_missing", "the app's " + field + " needs " + program + " (util-linux), which this agent's"
        + " host does not have in /usr/bin, /bin, /usr/sbin, /sbin or /usr/local/bin; install util-linux there or"
        + " remove " + field + " from the app.");
  }

  private static ApiException refuse(String code, String message) {
    return new ApiException(422, code, message + " Nothing was started.");
  }
}
