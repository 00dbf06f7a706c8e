package io.aiotedge.broker;

import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import io.aiotedge.core.auth.Principal;
import io.aiotedge.core.mqtt.ClientEvents;
import io.aiotedge.wire.Topics;
import java.nio.ByteBuffer;

/**
 * Hands a device's publishes on its own status topic ({@code aiot/v1/things/{id}/status}) to
 * {@link ClientEvents#status}; every publish passes on unchanged. Installed after the ACL check,
 * so only a device's own status topic gets here. Stateless apart from its fields; thread-safe.
 */
final class StatusObserver implements PublishInboundInterceptor {
    private final ClientEvents events;
    private final Principal principal;
    private final String statusTopic;

    StatusObserver(ClientEvents events, Principal principal) {
        this.events = events;
        this.principal = principal;
        this.statusTopic = Topics.thingStatus(principal.name());
    }

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        if (!statusTopic.equals(input.getPublishPacket().getTopic())) {
            return;
        }
        ByteBuffer payload = input.getPublishPacket().getPayload().orElse(ByteBuffer.allocate(0)).asReadOnlyBuffer();
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        events.status(principal, input.getClientInformation().getClientId(), bytes);
    }
}
