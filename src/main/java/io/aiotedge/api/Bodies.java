package io.aiotedge.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiotedge.core.Rejection;
import io.aiotedge.wire.Json;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;

/** Request-body and parameter parsing with errors that name the field. */
final class Bodies {
    private static final Json JSON = Json.mapper();

    private Bodies() {
    }

    static JsonNode jsonObject(Context ctx) {
        String body = ctx.body(); // 413 beyond http.maxRequestBytes
        if (body.isBlank()) {
            throw Rejection.invalid("body", "is empty; a JSON object is required");
        }
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (IOException e) {
            throw Rejection.invalid("body", "is not valid JSON");
        }
        if (n == null || !n.isObject()) {
            throw Rejection.invalid("body", "must be a JSON object");
        }
        return n;
    }

    static JsonNode parse(String field, String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw Rejection.invalid(field, "is not valid JSON");
        }
    }

    static String optionalText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw Rejection.invalid(field, "must be a string");
        }
        return v.asText();
    }

    static long longParam(Context ctx, String name, long dflt, long min, long max) {
        String s = ctx.queryParam(name);
        if (s == null || s.isBlank()) {
            return dflt;
        }
        try {
            long v = Long.parseLong(s.trim());
            if (v < min || v > max) {
                throw Rejection.invalid(name, "must be between " + min + " and " + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw Rejection.invalid(name, "must be a whole number, got '" + s + "'");
        }
    }

    static int intPath(Context ctx, String name) {
        try {
            return Integer.parseInt(ctx.pathParam(name));
        } catch (NumberFormatException e) {
            throw Rejection.invalid(name, "must be a whole number");
        }
    }

    /**
     * Refuses a body larger than {@code max} bytes before anything reads it: 413 past the limit,
     * 411 for a body of unknown length (chunked), which would have to be read to be measured.
     */
    static void requireAtMost(Context ctx, long max) {
        long length = contentLength(ctx);
        if (length > max) {
            throw new HttpResponseException(413, "request body exceeds " + max + " bytes");
        }
        if (length < 0 && ctx.header("Transfer-Encoding") != null) {
            throw new HttpResponseException(411, "a Content-Length of at most " + max + " bytes is required");
        }
    }

    static long contentLength(Context ctx) {
        String cl = ctx.header("Content-Length");
        try {
            return cl == null ? -1 : Long.parseLong(cl.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
