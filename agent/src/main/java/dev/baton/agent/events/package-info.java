/** Instance events on {@code baton.events}, one per phase. */
package dev.baton.agent.events;
