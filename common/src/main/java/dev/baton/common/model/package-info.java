/**
 * The JSON contracts of DESIGN.md §3 and §9 as records: each has {@code toJson}, and the ones that
 * come from users have a validating {@code fromJson} that reports every bad field at once.
 */
package dev.baton.common.model;
