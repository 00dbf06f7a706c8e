/**
 * Who may connect: the {@link io.aiotedge.core.auth.Authenticator} interface that the broker
 * and HTTP API ask, the {@link io.aiotedge.core.auth.Principal} it answers with, and the slow
 * salted password hash used for every stored secret.
 */
package io.aiotedge.core.auth;
