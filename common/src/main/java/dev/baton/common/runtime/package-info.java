/** Process-level helpers for the service mains: config from the environment and graceful shutdown. */
package dev.baton.common.runtime;
