package io.aiotedge.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.aiotedge.wire.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own error answers (a malformed request line, a bad header or Host, a request Jetty
 * refuses before Javalin sees it) in our JSON error shape {@code {"status","error","message"}}
 * instead of Jetty's HTML page. Stateless; thread-safe.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final Json JSON = Json.mapper();
    private static final String TYPE = "application/json;charset=utf-8";

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, TYPE);
        return ByteBuffer.wrap(body(status, reason));
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
            HttpServletResponse response, int code, String message) throws IOException {
        baseRequest.setHandled(true);
        response.setContentType(TYPE);
        byte[] body = body(code, message);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static byte[] body(int status, String message) {
        try {
            return JSON.writeValueAsString(HttpComponent.ErrorShape.body(status, message))
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            return ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
        }
    }
}
