/** The registry service (control plane): its main, its settings, and the verticle that wires it. */
package dev.baton.registry;
