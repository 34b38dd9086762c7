package dev.baton.common.config;

/** The contents of a configuration file, read by the caller: its name (for messages and format) and text. */
public record ConfigSource(String name, String content) {
}
