/** The local health gate an instance passes (status 200 and the requested version) before it is registered. */
package dev.baton.agent.health;
