/**
 * Consul naming (KV keys, service names, instance IDs, tags and meta keys of docs/ARCHITECTURE.md, "Contracts") and Consul access:
 * the one place that turns configuration into a client with the ACL token and HTTPS, and explains refusals
 * (docs/consul.md).
 */
package dev.baton.common.consul;
