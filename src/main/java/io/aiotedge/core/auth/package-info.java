/**
 * Who may connect: the {@link io.aiotedge.core.auth.Authenticator} interface the broker asks
 * (chained: config users, the node's service user, registry devices, legacy devices), the
 * {@link io.aiotedge.core.auth.Principal} and {@link io.aiotedge.core.auth.Role} it answers with,
 * the failed-login limiter the broker and the HTTP API share, and the slow salted password hash
 * used for every stored secret.
 */
package io.aiotedge.core.auth;
