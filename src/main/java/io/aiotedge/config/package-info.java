/**
 * Typed, immutable configuration: {@link io.aiotedge.config.ConfigLoader} merges the defaults
 * shipped in the JAR, the YAML file and {@code --set} overrides, resolves {@code ${ENV:NAME}}
 * placeholders, and binds the result to records, collecting every problem (with its key) into
 * one {@link io.aiotedge.core.ConfigException}. Components only ever see the records.
 */
package io.aiotedge.config;
