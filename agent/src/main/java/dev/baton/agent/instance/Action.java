package dev.baton.agent.instance;

/** The side effects a {@link Transitions} step asks of its {@link InstanceSupervisor}, applied in order. */
public enum Action {
  /** Outcomes of earlier work no longer apply; a pending restart is cancelled, a pending resync answered. */
  NEW_EPOCH,
  /** Confine, prepare (sha256 again) and launch the process. */
  LAUNCH,
  /** Record the launched process (pid, STARTING) and answer the start. */
  RECORD_LAUNCH,
  /** Take over the process found alive after an agent restart. */
  ADOPT_PROCESS,
  /** Watch the process's exit and run the health gate. */
  GATE,
  /** Report it healthy and register it in Consul. */
  REGISTER,
  /** Record it HEALTHY and registered; answer whoever waits for it to be healthy. */
  MARK_HEALTHY,
  /** Report a crash of a healthy instance. */
  REPORT_CRASH,
  /** Deregister it if registered and kill what is left of the process. */
  CLEAR,
  /** Record the pending restart and set its timer. */
  SCHEDULE_RESTART,
  /** The agent stops: cancel a pending restart and schedule none. */
  QUIESCE,
  /** The stop sequence. */
  STOP,
  /** Record it STOPPED. */
  END_STOPPED,
  /** Deregister, kill. */
  FAIL,
  /** Record it FAILED with the reason. */
  END_FAILED,
  /** Probe its health once (it is missing from the Consul agent). */
  PROBE,
  /** Register it again after a passing probe. */
  REREGISTER,
  /** Report once that it is missing from Consul and failed its probe. */
  REPORT_UNHEALTHY,
  /** Report that it is registered again. */
  REPORT_RESTORED,
  /** The resync's registration failed. */
  RESYNC_ERROR
}
