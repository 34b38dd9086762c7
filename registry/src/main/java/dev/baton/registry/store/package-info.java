/** The registry's durable state in Consul KV: apps, routes, releases; every write a check-and-set. */
package dev.baton.registry.store;
