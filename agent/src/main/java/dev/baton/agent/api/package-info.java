/** The agent's two shells over one service: the HTTP API of DESIGN.md §9 and the event-bus commands of §4. */
package dev.baton.agent.api;
