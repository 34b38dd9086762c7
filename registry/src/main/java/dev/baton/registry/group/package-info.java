/**
 * Release groups outside the controller's look: their record in KV, its history written from the members' changes,
 * creation with every member in one Consul transaction, and the group operations (docs/registry-api.md, "Release
 * groups").
 */
package dev.baton.registry.group;
