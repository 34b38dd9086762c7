/**
 * The pure core of routing: the immutable {@link dev.baton.gateway.routing.RouteTable} built from Consul's
 * inputs by {@link dev.baton.gateway.routing.RouteTableBuilder}, and the pickers that choose a version and
 * an instance for one request. Nothing here does I/O.
 */
package dev.baton.gateway.routing;
