/**
 * Releases: pure planners per strategy (spec, release, observed world → actions), one dispatch, and the
 * controller that persists each decision before applying it through a narrow actions interface.
 */
package dev.baton.registry.release;
