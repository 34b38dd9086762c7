/** Configuration: defaults &lt; JSON/YAML file &lt; {@code BATON_*} env, resolved by a pure function (DESIGN.md §7). */
package dev.baton.common.config;
