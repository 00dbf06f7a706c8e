package io.aiotedge.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;

/** A set of routes another part of the node adds to the HTTP server before it starts. */
public interface HttpModule {

    /**
     * Adjusts the server's configuration (static files, WebJars) inside {@code Javalin.create},
     * before any route exists; called once. Most modules need nothing here.
     */
    default void configure(JavalinConfig cfg) {
    }

    /** Registers routes; called once, before the server listens. */
    void install(Javalin app);
}
