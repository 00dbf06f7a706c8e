package io.aiotedge.core;

/**
 * A request a service refuses because of what was asked, not because it failed: the HTTP API
 * answers it with the status of its {@link Kind} and a message naming the offending field, the
 * CLI prints it. Services throw it; nothing catches it to retry.
 */
public final class Rejection extends EdgeException {
    /** Why, and so which 4xx answers it. */
    public enum Kind {
        INVALID(400), FORBIDDEN(403), NOT_FOUND(404), CONFLICT(409), TOO_LARGE(413);

        private final int httpStatus;

        Kind(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Kind kind;
    private final String field;

    private Rejection(Kind kind, String field, String message) {
        super(field == null ? message : field + ": " + message);
        this.kind = kind;
        this.field = field;
    }

    /** A bad value: the message reads {@code "<field>: <reason>"}. */
    public static Rejection invalid(String field, String reason) {
        return new Rejection(Kind.INVALID, field, reason);
    }

    public static Rejection notFound(String what) {
        return new Rejection(Kind.NOT_FOUND, null, what + " not found");
    }

    public static Rejection conflict(String reason) {
        return new Rejection(Kind.CONFLICT, null, reason);
    }

    public static Rejection forbidden(String reason) {
        return new Rejection(Kind.FORBIDDEN, null, reason);
    }

    public static Rejection tooLarge(String reason) {
        return new Rejection(Kind.TOO_LARGE, null, reason);
    }

    public Kind kind() {
        return kind;
    }

    /** The offending field, or null when the request as a whole is refused. */
    public String field() {
        return field;
    }
}
