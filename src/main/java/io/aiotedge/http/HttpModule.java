package io.aiotedge.http;

import io.javalin.Javalin;

/** A set of routes another part of the node adds to the HTTP server before it starts. */
public interface HttpModule {

    /** Registers routes; called once, before the server listens. */
    void install(Javalin app);
}
