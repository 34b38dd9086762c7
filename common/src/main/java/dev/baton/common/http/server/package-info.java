/**
 * The hardened HTTP/1.1 server every baton port runs on: limits, the strict request decoder with its
 * header-read deadline, and refusals of malformed requests in the one JSON error shape.
 */
package dev.baton.common.http.server;
