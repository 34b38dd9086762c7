/** The {@code ./baton dev} stack as a developer runs it: started, killed, and cleaned up by {@code ./baton stop}. */
package dev.baton.e2e.dev;
