/** Where the CLI connects: named contexts in a config file, and the flag > environment > context > default rule. */
package dev.baton.cli.config;
