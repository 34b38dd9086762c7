/** The registry's REST API (DESIGN.md §9): routes, one handler class per resource, one error mapping. */
package dev.baton.registry.api;
