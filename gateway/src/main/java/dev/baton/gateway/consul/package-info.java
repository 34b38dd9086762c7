/** The gateway's own entry in Consul: service {@code baton-gateway}, checked on the admin {@code /health}. */
package dev.baton.gateway.consul;
