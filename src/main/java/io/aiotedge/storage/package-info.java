/**
 * The platform's persistent state: one H2 database file under the data directory, opened through
 * a small connection pool and migrated with Flyway at start ({@link io.aiotedge.storage.Database}),
 * and content-addressed files beside it for model binaries ({@link io.aiotedge.storage.ContentStore}).
 * The only package importing H2, HikariCP and Flyway.
 */
package io.aiotedge.storage;
