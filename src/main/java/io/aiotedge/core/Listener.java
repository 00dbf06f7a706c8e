package io.aiotedge.core;

import java.util.Locale;

/**
 * One socket the node listens on, as the component that opened it states it, for the operator's
 * exposure report (the startup block and {@code runtime.json}'s {@code listeners}).
 *
 * @param name the key it also has in {@code runtime.json}'s {@code ports} ({@code http}, {@code mqttTls}...)
 * @param bindAddress the address it is bound to ({@code 0.0.0.0} = every interface)
 * @param port the port actually bound
 * @param tls whether the socket speaks TLS only
 * @param clientAuth whether TLS clients must present a certificate: {@code none}, {@code optional},
 *     {@code required} ({@code none} without TLS)
 * @param authentication how a client proves who it is: {@link #NONE}, {@link #PASSWORD},
 *     {@link #TOKEN}, {@link #SCRAM_SHA_512}, {@link #MTLS}
 * @param anonymous whether a client without credentials gets in (to anything at all)
 * @param note what the fields cannot say, e.g. which paths are open; empty when nothing
 */
public record Listener(String name, String bindAddress, int port, boolean tls, String clientAuth,
        String authentication, boolean anonymous, String note) {
    public static final String NONE = "none";
    public static final String PASSWORD = "password";
    public static final String TOKEN = "token";
    public static final String SCRAM_SHA_512 = "SCRAM-SHA-512";
    public static final String MTLS = "mTLS";

    public Listener {
        Checks.notBlank(name, "Listener name");
        Checks.notBlank(bindAddress, "Bind address");
        Checks.notBlank(clientAuth, "Client auth");
        Checks.notBlank(authentication, "Authentication");
        note = note == null ? "" : note;
    }

    /** Whether it accepts connections from other hosts (not bound to loopback). */
    public boolean exposed() {
        String a = bindAddress.toLowerCase(Locale.ROOT);
        return !(a.startsWith("127.") || a.equals("::1") || a.equals("localhost"));
    }

    /** One line of the startup block: name, address, TLS, authentication, anonymous, note. */
    public String describe() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-16s %-22s %-24s auth %s", name,
                bindAddress + ":" + port, tls ? "TLS" + (clientAuth.equals(NONE) ? "" : " (client cert " + clientAuth
                        + ")") : "plaintext",
                authentication));
        sb.append(anonymous ? ", anonymous allowed" : "");
        sb.append(exposed() ? "" : ", loopback only");
        if (!note.isEmpty()) {
            sb.append(" (").append(note).append(')');
        }
        return sb.toString();
    }
}
