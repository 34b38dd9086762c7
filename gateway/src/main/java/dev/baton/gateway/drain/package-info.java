/** Answers drain requests: stop picking an instance, wait until it left the table and its requests finished. */
package dev.baton.gateway.drain;
