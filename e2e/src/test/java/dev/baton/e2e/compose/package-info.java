/** Checks docker-compose.yml and the Dockerfiles against the services' config key catalogue and loader. */
package dev.baton.e2e.compose;
