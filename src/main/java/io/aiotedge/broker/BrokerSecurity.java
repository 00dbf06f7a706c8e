package io.aiotedge.broker;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import io.aiotedge.core.auth.AuthFailureLimiter;
import io.aiotedge.core.auth.Authenticator;
import io.aiotedge.core.auth.PasswordHasher;
import io.aiotedge.core.auth.Principal;
import io.aiotedge.core.auth.Role;
import io.aiotedge.wire.TopicNames;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authentication and authorization for every MQTT connection. Password checks are slow by
 * design, so they run on the component's own small pool (never on HiveMQ's threads) behind
 * HiveMQ's async output, from a bounded queue (full: CONNACK 0x89 server busy). Failed logins are
 * limited per source address and per user name ({@link AuthFailureLimiter}: 0x9F past it), and
 * the client id must be the principal's to use ({@link SessionOwners}: 0x85 otherwise).
 * Denials: CONNACK 0x86/0x87 (3.1.1: 4/5); subscribe -> SUBACK 0x87
 * (3.1.1: 0x80); publish -> disconnect for 3.x (which has no reason codes); MQTT 5 publishes
 * are refused earlier, with PUBACK 0x87 and no disconnect, by {@link AclPublishInterceptor}.
 * Thread-safe.
 */
final class BrokerSecurity implements SimpleAuthenticator, PublishAuthorizer, SubscriptionAuthorizer {
    private static final Logger log = LoggerFactory.getLogger(BrokerSecurity.class);
    private static final Duration AUTH_TIMEOUT = Duration.ofSeconds(10);

    private final Authenticator authenticator;
    private final TopicAcl acl;
    private final boolean allowAnonymous;
    private final Role anonymousRole;
    private final BrokerMetrics metrics;
    private final ExecutorService authPool;
    private final SessionOwners owners;
    private final AuthFailureLimiter failures;

    BrokerSecurity(Authenticator authenticator, TopicAcl acl, boolean allowAnonymous, Role anonymousRole,
            BrokerMetrics metrics, ExecutorService authPool, SessionOwners owners, AuthFailureLimiter failures) {
        this.owners = owners;
        this.failures = failures;
        this.authenticator = authenticator;
        this.acl = acl;
        this.allowAnonymous = allowAnonymous;
        this.anonymousRole = anonymousRole;
        this.metrics = metrics;
        this.authPool = authPool;
    }

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        String[] keys = limiterKeys(input);
        if (!failures.allowed(keys)) {
            metrics.authRateLimited.increment();
            log.debug("Refused client {} from {}: too many failed logins", keys[1], keys[0]);
            // HiveMQ would tell a 3.1.1 client 0x9F as "not authorized"; "server unavailable" says try later
            output.failAuthentication(isV5(input) ? ConnackReasonCode.CONNECTION_RATE_EXCEEDED
                    : ConnackReasonCode.SERVER_UNAVAILABLE, "too many failed logins, try later");
            return;
        }
        Async<SimpleAuthOutput> async = output.async(AUTH_TIMEOUT, TimeoutFallback.FAILURE,
                ConnackReasonCode.SERVER_BUSY, "authentication timed out");
        try {
            authPool.execute(() -> {
                try {
                    decide(input, output, keys);
                } catch (RuntimeException e) {
                    log.warn("Authentication of {} failed: {}", input.getClientInformation().getClientId(),
                            e.toString());
                    output.failAuthentication(ConnackReasonCode.UNSPECIFIED_ERROR, "authentication failed");
                } finally {
                    async.resume();
                }
            });
        } catch (RejectedExecutionException e) {
            if (authPool.isShutdown()) {
                output.failAuthentication(ConnackReasonCode.SERVER_UNAVAILABLE, "broker is stopping");
            } else {
                metrics.authBusy.increment();
                output.failAuthentication(isV5(input) ? ConnackReasonCode.SERVER_BUSY
                        : ConnackReasonCode.SERVER_UNAVAILABLE, "too many connects waiting, try later");
            }
            async.resume();
        }
    }

    private static boolean isV5(SimpleAuthInput input) {
        return input.getConnectionInformation().getMqttVersion() == MqttVersion.V_5;
    }

    /** {@code addr:<source address>} and {@code id:<user name, else client id>}. */
    private static String[] limiterKeys(SimpleAuthInput input) {
        String address = input.getConnectionInformation().getInetAddress().map(InetAddress::getHostAddress)
                .orElse("unknown");
        String name = input.getConnectPacket().getUserName().orElse(input.getClientInformation().getClientId());
        return new String[] {"addr:" + address, "id:" + name};
    }

    private void decide(SimpleAuthInput input, SimpleAuthOutput output, String[] keys) {
        String clientId = input.getClientInformation().getClientId();
        String username = input.getConnectPacket().getUserName().orElse(null);
        char[] password = input.getConnectPacket().getPassword().map(BrokerSecurity::chars).orElse(null);
        Optional<Principal> principal;
        try {
            principal = authenticator.authenticate(clientId, username, password);
        } finally {
            PasswordHasher.clear(password);
        }
        if (principal.isEmpty() && username == null && password == null && allowAnonymous
                && TopicNames.isSafeSegment(clientId)) {
            principal = Optional.of(new Principal(clientId, anonymousRole, "anonymous"));
        }
        if (principal.isPresent()) {
            boolean persistent = input.getConnectPacket().getSessionExpiryInterval() > 0;
            String refusal = owners.claim(principal.get(), clientId, persistent);
            if (refusal != null) {
                metrics.authClientIdRefused.increment();
                log.info("Refused client {} of {}: {}", clientId, principal.get().name(), refusal);
                output.failAuthentication(ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID, refusal);
                return;
            }
            ConnectionPrincipal.put(input.getConnectionInformation().getConnectionAttributeStore(), principal.get());
            metrics.authSuccess.increment();
            output.authenticateSuccessfully();
        } else if (username == null && password == null) {
            metrics.authFailedAnonymous.increment();
            log.debug("Refused anonymous client {}", clientId);
            output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "credentials required");
        } else {
            metrics.authFailedBadCredentials.increment();
            failures.failed(keys);
            log.debug("Refused client {} (user {}): bad credentials", clientId, username);
            output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
        }
    }

    /** {@code $share/group/a/b} is checked as {@code a/b}. */
    static String withoutSharePrefix(String filter) {
        if (filter.startsWith("$share/")) {
            int slash = filter.indexOf('/', "$share/".length());
            return slash < 0 ? filter : filter.substring(slash + 1);
        }
        return filter;
    }

    /** The password's characters, exactly: a decoded buffer's array can be longer than its content. */
    static char[] chars(ByteBuffer password) {
        java.nio.CharBuffer decoded = StandardCharsets.UTF_8.decode(password.asReadOnlyBuffer());
        char[] exact = java.util.Arrays.copyOfRange(decoded.array(), decoded.position(), decoded.limit());
        java.util.Arrays.fill(decoded.array(), '\0');
        return exact;
    }

    @Override
    public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
        String clientId = input.getClientInformation().getClientId();
        String topic = input.getPublishPacket().getTopic();
        Optional<Principal> p = ConnectionPrincipal.get(input.getConnectionInformation().getConnectionAttributeStore());
        if (p.isPresent() && acl.mayPublish(p.get(), clientId, topic)) {
            output.authorizeSuccessfully();
            return;
        }
        metrics.publishDenied.increment();
        log.debug("Denied publish of {} to {}", clientId, topic);
        if (input.getConnectionInformation().getMqttVersion() == MqttVersion.V_5) {
            output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, "not allowed to publish to " + topic);
        } else {
            output.disconnectClient(DisconnectReasonCode.NOT_AUTHORIZED, "not allowed to publish to " + topic);
        }
    }

    @Override
    public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
        String clientId = input.getClientInformation().getClientId();
        String filter = withoutSharePrefix(input.getSubscription().getTopicFilter());
        Optional<Principal> p = ConnectionPrincipal.get(input.getConnectionInformation().getConnectionAttributeStore());
        if (p.isPresent() && acl.maySubscribe(p.get(), clientId, filter)) {
            output.authorizeSuccessfully();
            return;
        }
        metrics.subscribeDenied.increment();
        log.debug("Denied subscribe of {} to {}", clientId, filter);
        output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, "not allowed to subscribe to " + filter);
    }
}
