/**
 * The OTA download protocol, free of any HTTP library: which bytes of a model file a request asks
 * for (a single {@code Range}, honouring {@code If-Range}) and whether the client already has it
 * ({@code If-None-Match} against the strong ETag, the quoted sha256).
 */
package io.aiotedge.ota;
