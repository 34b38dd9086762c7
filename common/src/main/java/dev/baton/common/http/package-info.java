/** HTTP pieces every baton API shares: the JSON error shape, bearer tokens and who may call what. */
package dev.baton.common.http;
