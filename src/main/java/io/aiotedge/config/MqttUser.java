package io.aiotedge.config;

import io.aiotedge.core.auth.PasswordHasher;
import io.aiotedge.core.auth.Role;
import io.aiotedge.wire.TopicNames;

/**
 * A broker user from the config file ({@code mqtt.users[]}). The password is stored only as a
 * {@link PasswordHasher} hash, made with {@code aiot-edge users hash}.
 */
public record MqttUser(String username, String passwordHash, Role role) {

    static MqttUser read(ConfigReader r) {
        String name = r.nonBlank("username");
        if (!TopicNames.isSafeSegment(name)) {
            r.problem("username", "must not contain '/', '+', '#' or control characters, got '" + name + "'");
        }
        String hash = r.string("passwordHash");
        String hashProblem = PasswordHasher.problemWith(hash);
        if (hashProblem != null) {
            r.problem("passwordHash", hashProblem);
        }
        return new MqttUser(name, hash, readRole(r, "role"));
    }

    static Role readRole(ConfigReader r, String key) {
        String s = r.string(key);
        try {
            return Role.parse(s);
        } catch (IllegalArgumentException e) {
            r.problem(key, "must be one of [device, legacy-device, service, admin], got '" + s + "'");
            return Role.DEVICE;
        }
    }

    @Override
    public String toString() {
        return "MqttUser[" + username + ", role=" + role.id() + "]";
    }
}
