/** Stopping an instance without dropping a request: the stop plan, its application, and the gateway drain. */
package dev.baton.agent.drain;
