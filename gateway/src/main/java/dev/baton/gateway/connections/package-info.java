/**
 * Connection-level limits of the traffic ports, applied where the kernel hands over an accepted socket, before
 * any TLS handshake or parsing: a global cap below the open-file limit and a cap per client address
 * (docs/ARCHITECTURE.md, Gateway, "Connection limits").
 */
package dev.baton.gateway.connections;
