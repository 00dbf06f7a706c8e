package io.aiotedge.broker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiotedge.config.ConfigLoader;
import io.aiotedge.core.auth.Principal;
import io.aiotedge.core.auth.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default ACL shipped in the JAR, as a device, a service and an admin see it. */
class TopicAclTest {
    private final TopicAcl acl = new TopicAcl(new ConfigLoader(k -> null).load(null, List.of()).config().mqtt().acl());
    private final Principal deviceA = new Principal("motor-A", Role.DEVICE, "config");

    @Test
    void device_mayUseItsOwnTreeOnly() {
        assertTrue(acl.mayPublish(deviceA, "any-client-id", "aiot/v1/things/motor-A/telemetry"));
        assertTrue(acl.maySubscribe(deviceA, "c", "aiot/v1/things/motor-A/control"));
        assertTrue(acl.maySubscribe(deviceA, "c", "aiot/v1/things/motor-A/#"));
        assertFalse(acl.mayPublish(deviceA, "c", "aiot/v1/things/motor-B/telemetry"));
        assertFalse(acl.maySubscribe(deviceA, "c", "aiot/v1/things/motor-B/control"));
        assertFalse(acl.maySubscribe(deviceA, "c", "aiot/v1/things/+/control"));
        assertFalse(acl.maySubscribe(deviceA, "c", "#"));
    }

    @Test
    void device_mayReadModelAnnouncementsButNotWriteThem() {
        assertTrue(acl.maySubscribe(deviceA, "c", "aiot/v1/models/#"));
        assertTrue(acl.maySubscribe(deviceA, "c", "aiot/v1/models/motor/latest"));
        assertFalse(acl.mayPublish(deviceA, "c", "aiot/v1/models/motor/latest"));
    }

    @Test
    void device_identityIsItsUsernameNotItsClientId() {
        // a device that logs in as motor-A but names itself motor-B still only gets motor-A's tree
        assertFalse(acl.mayPublish(deviceA, "motor-B", "aiot/v1/things/motor-B/telemetry"));
    }

    @Test
    void device_nameThatWouldWidenTheRule_matchesNothing() {
        Principal sneaky = new Principal("x/#", Role.DEVICE, "anonymous");
        assertFalse(acl.mayPublish(sneaky, "c", "aiot/v1/things/x/#"));
        assertFalse(acl.mayPublish(sneaky, "c", "aiot/v1/things/x/y/telemetry"));
        Principal plus = new Principal("+", Role.DEVICE, "anonymous");
        assertFalse(acl.maySubscribe(plus, "c", "aiot/v1/things/+/#"));
    }

    @Test
    void service_mayUseTheAiotTreeAndLegacyTopics() {
        Principal gw = new Principal("gw", Role.SERVICE, "config");
        assertTrue(acl.maySubscribe(gw, "c", "aiot/v1/things/+/raw"));
        assertTrue(acl.mayPublish(gw, "c", "shaded-pole-motor-sensor_data"));
        assertFalse(acl.mayPublish(gw, "c", "other/topic"));
        assertFalse(acl.maySubscribe(gw, "c", "#"));
    }

    @Test
    void admin_mayDoEverythingButDollarTopicsNeedNamingExplicitly() {
        Principal admin = new Principal("ops", Role.ADMIN, "config");
        assertTrue(acl.maySubscribe(admin, "c", "#"));
        assertTrue(acl.mayPublish(admin, "c", "anything/at/all"));
    }
}
