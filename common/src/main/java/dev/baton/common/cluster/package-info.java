/** The clustered Vert.x (Hazelcast, TCP-IP join) that every baton service joins. */
package dev.baton.common.cluster;
