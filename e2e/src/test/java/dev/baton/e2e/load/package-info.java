/**
 * Traffic through the gateway and what it proves: the load generator and its samples, the instances' order
 * records, the route revisions seen in Consul, and the figures table.
 */
package dev.baton.e2e.load;
