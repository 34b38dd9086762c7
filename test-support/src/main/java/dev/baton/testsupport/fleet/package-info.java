/**
 * The fleet test bed (docs/ARCHITECTURE.md "Testing"): hosts made of Linux network namespaces on one bridge, each
 * with its own address in 198.18.0.0/15, a three-server Consul cluster with a client agent on every baton host, and
 * the baton services and an HAProxy front started in those hosts as real processes, stopped by pid.
 */
package dev.baton.testsupport.fleet;
