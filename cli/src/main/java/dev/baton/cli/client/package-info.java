/** The registry and agent APIs over the JDK's HttpClient: requests, Server-Sent Events, failures as one line. */
package dev.baton.cli.client;
