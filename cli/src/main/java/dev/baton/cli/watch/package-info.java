/** {@code baton status --watch}: a model fed by the registry's event and traffic streams, and its pure rendering. */
package dev.baton.cli.watch;
