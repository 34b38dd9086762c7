/**
 * The sample HTTP app that baton deploys in tests and demos: it reports the version baked into its
 * artifact, answers health checks, records idempotent POSTs, and can be told by environment
 * variables to fail, slow down or report itself unhealthy. It depends on no other baton module.
 */
package dev.baton.sample;
