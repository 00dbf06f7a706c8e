/**
 * The platform's alert history: consumes the inference roles' alerts ({@code aiot.alerts}) and
 * servo commands ({@code aiot.control}) into the database, drops records not sent by a service or
 * admin principal, and lets operators acknowledge alerts with a note.
 */
package io.aiotedge.alerts;
