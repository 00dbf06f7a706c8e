package io.aiotedge.broker;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.packets.general.UserProperty;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import io.aiotedge.core.auth.Principal;
import io.aiotedge.core.mqtt.InboundPublish;
import io.aiotedge.core.mqtt.IngressVerdict;
import io.aiotedge.core.mqtt.MqttIngress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Hands every publish an {@link MqttIngress} wants to it and holds the PUBACK until the ingress
 * has decided (for the bridge: the record is in Kafka or in the spool). HiveMQ runs one
 * interceptor call per client at a time and keeps an async one at the head of that client's
 * queue, so a client's publishes reach the ingress, and are acknowledged, strictly in order.
 * Runs after the ACL and rate-limit interceptors and checks the ACL itself (the authorizer runs
 * only after interceptors), so a publish the client may not make never reaches Kafka.
 */
final class IngressInterceptor implements PublishInboundInterceptor {
    static final String STAMP_PRINCIPAL = "aiot.principal";
    static final String STAMP_ROLE = "aiot.principalRole";
    private final MqttIngress ingress;
    private final TopicAcl acl;
    private final Principal principal;
    private final BrokerMetrics metrics;

    IngressInterceptor(MqttIngress ingress, TopicAcl acl, Principal principal, BrokerMetrics metrics) {
        this.ingress = ingress;
        this.acl = acl;
        this.principal = principal;
        this.metrics = metrics;
    }

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        PublishPacket packet = input.getPublishPacket();
        String clientId = input.getClientInformation().getClientId();
        if (!ingress.wants(packet.getTopic()) || !acl.mayPublish(principal, clientId, packet.getTopic())) {
            return; // a denied publish is refused by the authorizer, which runs after interceptors
        }
        stamp(output);
        InboundPublish publish = new InboundPublish(packet.getTopic(), packet.getQos().getQosNumber(),
                packet.getRetain(), bytes(packet), clientId,
                input.getConnectionInformation().getMqttVersion() == MqttVersion.V_5, System.currentTimeMillis(),
                userProperties(packet), principal);
        CompletionStage<IngressVerdict> stage;
        try {
            stage = ingress.accept(publish);
        } catch (RuntimeException e) {
            stage = CompletableFuture.completedFuture(IngressVerdict.failed("bridge error: " + e.getMessage()));
        }
        CompletableFuture<IngressVerdict> verdict = stage.toCompletableFuture();
        if (verdict.isDone()) {
            apply(verdict, publish, output);
            return;
        }
        Async<PublishInboundOutput> async = output.async(Duration.ofMillis(ingress.timeoutMillis()),
                TimeoutFallback.FAILURE, AckReasonCode.UNSPECIFIED_ERROR, "bridge did not store the message in time");
        verdict.whenComplete((v, e) -> {
            apply(verdict, publish, async.getOutput());
            async.resume();
        });
    }

    /**
     * Tells MQTT 5 subscribers (the gateway) who really sent this publish: any client-supplied
     * {@code aiot.principal}/{@code aiot.principalRole} user property is replaced by the
     * connection's authenticated principal.
     */
    private void stamp(PublishInboundOutput output) {
        var props = output.getPublishPacket().getUserProperties();
        props.removeName(STAMP_PRINCIPAL);
        props.removeName(STAMP_ROLE);
        props.addUserProperty(STAMP_PRINCIPAL, principal.name());
        props.addUserProperty(STAMP_ROLE, principal.role().id());
    }

    private void apply(CompletableFuture<IngressVerdict> future, InboundPublish publish, PublishInboundOutput output) {
        IngressVerdict v = future.exceptionally(e -> IngressVerdict.failed("bridge error: " + e.getMessage())).join();
        switch (v.outcome()) {
            case ACCEPTED -> {
            }
            case DEAD_LETTERED -> {
                metrics.ingressDeadLettered.increment();
                if (publish.mqtt5()) {
                    output.preventPublishDelivery(AckReasonCode.PAYLOAD_FORMAT_INVALID, truncate(v.reason()));
                } else {
                    output.preventPublishDelivery();
                }
            }
            case REFUSED_RETRY -> {
                metrics.ingressRefused.increment();
                output.preventPublishDelivery(AckReasonCode.QUOTA_EXCEEDED, truncate(v.reason()));
            }
            case FAILED -> {
                metrics.ingressFailed.increment();
                output.preventPublishDelivery(AckReasonCode.UNSPECIFIED_ERROR, truncate(v.reason()));
            }
        }
    }

    private static String truncate(String reason) {
        return reason.length() <= 200 ? reason : reason.substring(0, 200);
    }

    private static byte[] bytes(PublishPacket packet) {
        ByteBuffer b = packet.getPayload().orElse(null);
        if (b == null) {
            return new byte[0];
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static List<InboundPublish.UserProperty> userProperties(PublishPacket packet) {
        List<UserProperty> props = packet.getUserProperties().asList();
        if (props.isEmpty()) {
            return List.of();
        }
        List<InboundPublish.UserProperty> out = new ArrayList<>(props.size());
        for (UserProperty p : props) {
            out.add(new InboundPublish.UserProperty(p.getName(), p.getValue()));
        }
        return out;
    }
}
