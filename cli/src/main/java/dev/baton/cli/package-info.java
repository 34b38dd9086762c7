/** The {@code baton} command line for operators (picocli); {@code ./baton} calls it for every command but dev/stop. */
package dev.baton.cli;
