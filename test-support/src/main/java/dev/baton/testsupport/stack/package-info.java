/**
 * One builder for every test stack (docs/ARCHITECTURE.md "Testing"): Consul plus any mix of registries, agents
 * and gateways, each a real {@code java -jar} process on a {@link dev.baton.testsupport.stack.Host}, with cluster
 * TLS and tokens as production runs them, stopped by pid with everything they started.
 */
package dev.baton.testsupport.stack;
