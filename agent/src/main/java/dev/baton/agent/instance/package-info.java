/** Instance supervision: start, health, registration, crash restarts, drain-first stop, and re-adoption. */
package dev.baton.agent.instance;
