package io.aiotedge.broker;

import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import io.aiotedge.core.auth.Principal;

/**
 * Refuses an MQTT 5 client's publish outside its ACL with PUBACK 0x87 and keeps the connection.
 * HiveMQ's authorizer path would also disconnect the client after that PUBACK, which turns one
 * bad topic in a device's firmware into a reconnect loop; interceptors run before authorizers, so
 * this answers first. Installed on device connections only: interceptors route every publish
 * through HiveMQ's extension executor, which costs ~40% of its throughput (docs/benchmarks.md),
 * and services are trusted to use their topics; their denied publishes (and MQTT 3 clients')
 * reach {@link BrokerSecurity}, which disconnects. One instance per connection.
 */
final class AclPublishInterceptor implements PublishInboundInterceptor {
    private final TopicAcl acl;
    private final Principal principal;
    private final BrokerMetrics metrics;

    AclPublishInterceptor(TopicAcl acl, Principal principal, BrokerMetrics metrics) {
        this.acl = acl;
        this.principal = principal;
        this.metrics = metrics;
    }

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        String topic = input.getPublishPacket().getTopic();
        if (!acl.mayPublish(principal, input.getClientInformation().getClientId(), topic)) {
            metrics.publishDenied.increment();
            output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED, "not allowed to publish to " + topic);
        }
    }
}
