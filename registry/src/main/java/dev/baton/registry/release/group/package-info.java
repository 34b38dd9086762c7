/**
 * Release groups inside the controller's look: what a member sees of the other members ({@link
 * dev.baton.registry.release.group.GroupView}) and the pure guard that holds its steps and aborts it with them
 * (docs/ARCHITECTURE.md, "Release groups").
 */
package dev.baton.registry.release.group;
