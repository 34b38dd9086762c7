/**
 * The dashboard ({@code /ui} on the registry, README "Dashboard") driven in a real browser: Debian's headless
 * Chromium through chromedriver and Selenium, against a real stack with load through the gateway.
 */
package dev.baton.e2e.ui;
