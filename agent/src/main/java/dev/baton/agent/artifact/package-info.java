/** Artifact download from any listed registry, with a size limit and sha256 verification, cached by digest. */
package dev.baton.agent.artifact;
