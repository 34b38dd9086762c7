/**
 * Whole-stack tests: {@code ZeroDowntimeIT} runs every release strategy under load against the real
 * processes; {@code compose} keeps docker-compose.yml true to the services' configuration code.
 */
package dev.baton.e2e;
