/**
 * The platform's persistent state: one SQL database, an H2 file under the data directory or a
 * PostgreSQL server ({@code storage.jdbcUrl}), opened through a small connection pool and migrated
 * with Flyway at start ({@link io.aiotedge.storage.Database}); content-addressed files beside it
 * for model binaries ({@link io.aiotedge.storage.ContentStore}); online backups and offline
 * restores of both ({@link io.aiotedge.storage.Backups}, {@link io.aiotedge.storage.Restore}).
 * The only package importing H2, HikariCP, Flyway and the PostgreSQL driver.
 */
package io.aiotedge.storage;
