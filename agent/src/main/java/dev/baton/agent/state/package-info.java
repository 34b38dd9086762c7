/** Durable instance records (one JSON file each, atomic replace) so a restarted agent re-adopts its instances. */
package dev.baton.agent.state;
