/** Outgoing webhooks: release gates' HTTP calls and signed notifications of release events (docs/registry-api.md). */
package dev.baton.registry.hooks;
