/** What the CLI reads and prints: JSON and YAML as plain maps and lists, aligned tables, the {@code -o} formats. */
package dev.baton.cli.io;
