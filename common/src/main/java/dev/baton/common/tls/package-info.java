/**
 * The cluster's certificates: a CA and member certificates made with BouncyCastle, PEM files read and checked
 * (signed by the CA, in date, key matching), and the key and trust material the event bus uses for mutual TLS,
 * reloaded when the files change (docs/ARCHITECTURE.md, "Cluster").
 */
package dev.baton.common.tls;
