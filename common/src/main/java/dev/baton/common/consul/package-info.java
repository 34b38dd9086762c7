/** Consul naming: KV keys, service names, instance IDs, tags and meta keys (DESIGN.md §3). */
package dev.baton.common.consul;
