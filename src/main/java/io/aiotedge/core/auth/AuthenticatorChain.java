package io.aiotedge.core.auth;

import java.util.List;
import java.util.Optional;

/** Asks each authenticator in turn; the first that knows the credentials wins. Thread-safe. */
public final class AuthenticatorChain implements Authenticator {
    private final List<Authenticator> chain;

    public AuthenticatorChain(List<Authenticator> chain) {
        this.chain = List.copyOf(chain);
    }

    @Override
    public Optional<Principal> authenticate(String clientId, String username, char[] password) {
        for (Authenticator a : chain) {
            Optional<Principal> p = a.authenticate(clientId, username, password);
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }
}
