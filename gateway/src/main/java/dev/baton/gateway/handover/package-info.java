/**
 * Replacing a running gateway with a new one on the same ports (gateway/README.md, "Replacing a gateway without
 * dropping a request"): who else listens on a port, and the order in which a stopping gateway lets go of it.
 */
package dev.baton.gateway.handover;
