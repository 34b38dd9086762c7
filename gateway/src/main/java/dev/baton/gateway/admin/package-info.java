/** The admin port: health with Consul staleness, Prometheus metrics, and the routes and upstreams in force. */
package dev.baton.gateway.admin;
