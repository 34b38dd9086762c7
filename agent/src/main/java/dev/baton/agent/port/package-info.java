/** Instance ports: pure choice within the configured range, plus reservation and bind probes. */
package dev.baton.agent.port;
