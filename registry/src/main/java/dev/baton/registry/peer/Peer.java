package dev.baton.registry.peer;

/** Another live registry of the fleet: its id (Consul service ID) and the base URL of its API ({@code Meta.http}). */
public record Peer(String id, String url) {
}
