/**
 * The gateway service: {@link dev.baton.gateway.GatewayMain} starts it, {@link dev.baton.gateway.GatewayVerticle}
 * wires discovery, the traffic and admin ports, drains and metrics, and {@link dev.baton.gateway.GatewaySettings}
 * holds its configuration keys.
 */
package dev.baton.gateway;
