/** Instance processes: argv templating, launching in their own process group, exit watching, signals, recovery. */
package dev.baton.agent.process;
