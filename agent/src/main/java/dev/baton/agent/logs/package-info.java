/**
 * An instance's {@code instance.log} read back: its last lines, streamed and followed for the log endpoint, and
 * quoted in the failure of an instance that never became healthy (docs/agent.md, "Logs").
 */
package dev.baton.agent.logs;
