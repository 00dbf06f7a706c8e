package io.aiotedge.devices;

import io.aiotedge.core.auth.Authenticator;
import io.aiotedge.core.auth.Principal;
import io.aiotedge.core.auth.Role;
import java.util.Optional;

/**
 * Devices flashed with the reference firmware ({@code compat.legacyDevices}): they connect with
 * client id = chip id and no credentials. Only a client id that is provisioned and activated in
 * the registry <em>through the compat path</em> ({@code /provisionDevice}) and activated (by an
 * admin, or with its one-time code) gets in, as {@link Role#LEGACY_DEVICE}, whose ACL allows the
 * reference's two topics only; a device provisioned with a secret through the API never gets in
 * without it. Anything with a user name or password is not ours to judge. Thread-safe.
 */
public final class LegacyDeviceAuthenticator implements Authenticator {
    public static final String SOURCE = "registry-legacy";

    private final DeviceStore store;

    LegacyDeviceAuthenticator(DeviceStore store) {
        this.store = store;
    }

    @Override
    public Optional<Principal> authenticate(String clientId, String username, char[] password) {
        if (username != null || password != null || !DeviceIdRule.valid(clientId)) {
            return Optional.empty();
        }
        return store.credentials(clientId)
                .filter(c -> c.state() == Device.State.ACTIVE && c.compat())
                .map(c -> new Principal(clientId, Role.LEGACY_DEVICE, SOURCE));
    }
}
