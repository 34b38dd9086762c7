/** The stack under test as separate processes (real Consul, every service from its jar) and a blocking control-plane client. */
package dev.baton.e2e.stack;
