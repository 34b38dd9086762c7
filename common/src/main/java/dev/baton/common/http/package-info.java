/** HTTP pieces every baton API shares: the JSON error shape and bearer-token checks. */
package dev.baton.common.http;
