/**
 * The traffic port: request hygiene and limits, app/version/instance selection through the current route
 * table, and the streaming exchange with an instance (retry once, passive ejection, metrics).
 */
package dev.baton.gateway.proxy;
