/** Event-bus addresses and the messages that travel on them (DESIGN.md §4). */
package dev.baton.common.bus;
