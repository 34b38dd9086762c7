/**
 * Instance supervision: one {@link dev.baton.agent.instance.InstanceSupervisor} per instance owns its state and
 * takes start, stop, adopt, resync and the outcomes of its own work as inputs, one at a time; a pure
 * {@link dev.baton.agent.instance.Transitions} decides what each does. {@code InstanceService} routes the API to them.
 */
package dev.baton.agent.instance;
