/** The {@code baton} CLI jar run as a process against a real stack, as an operator runs it. */
package dev.baton.e2e.cli;
