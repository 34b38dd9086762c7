/**
 * Releases: pure planners per strategy (spec, release, observed world → actions), one dispatch, and the
 * controller that persists each decision before applying it through a narrow actions interface. A release's progress
 * is typed ({@link dev.baton.registry.release.ReleaseState}: common, in-place rolling, canary, blue-green, bake and
 * gate records) and stored as the same JSON by {@link dev.baton.registry.release.ProgressCodec}; an action's outcome
 * is a sealed {@link dev.baton.registry.release.ActionResult} and what it does to the release the pure
 * {@link dev.baton.registry.release.Outcomes} (docs/ARCHITECTURE.md, "Typed release state").
 */
package dev.baton.registry.release;
