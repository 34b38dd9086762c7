/**
 * Test support shared by every baton module and the e2e suite: a real Consul agent per test class
 * ({@link dev.baton.testsupport.ConsulExtension}), supervised child processes that never outlive the
 * test JVM ({@link dev.baton.testsupport.ManagedProcess}), free ports and deadline-bounded polling.
 */
package dev.baton.testsupport;
