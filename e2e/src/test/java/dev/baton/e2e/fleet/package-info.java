/** The fleet scenarios (issue 11): faults of whole hosts under load through the fleet's front. */
package dev.baton.e2e.fleet;
