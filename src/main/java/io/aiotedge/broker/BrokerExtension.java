package io.aiotedge.broker;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import io.aiotedge.core.auth.Principal;
import io.aiotedge.core.auth.Role;
import io.aiotedge.core.mqtt.ClientEvents;
import io.aiotedge.core.mqtt.MqttIngress;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Our in-process HiveMQ extension: installs authentication, authorization and per-device rate
 * limits, and hands publishes to the node's {@link MqttIngress} (the bridge) if there is one.
 * Registered with the embedded broker, so it is active before the first client connects.
 */
final class BrokerExtension implements ExtensionMain {
    private final BrokerSecurity security;
    private final TopicAcl acl;
    private final int deviceMessagesPerSecond;
    private final ScheduledExecutorService scheduler;
    private final BrokerMetrics metrics;
    private final MqttIngress ingress;
    private final ClientTracker tracker;
    private final ClientEvents events;

    BrokerExtension(BrokerSecurity security, TopicAcl acl, int deviceMessagesPerSecond,
            ScheduledExecutorService scheduler, BrokerMetrics metrics, MqttIngress ingress,
            ClientTracker tracker, ClientEvents events) {
        this.ingress = ingress;
        this.tracker = tracker;
        this.events = events;
        this.security = security;
        this.acl = acl;
        this.deviceMessagesPerSecond = deviceMessagesPerSecond;
        this.scheduler = scheduler;
        this.metrics = metrics;
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        Services.securityRegistry().setAuthenticatorProvider(in -> security);
        Services.securityRegistry().setAuthorizerProvider(in -> security);
        Services.eventRegistry().setClientLifecycleEventListener(in -> tracker);
        Services.initializerRegistry().setClientInitializer((in, context) -> {
            Optional<Principal> p = ConnectionPrincipal
                    .get(in.getConnectionInformation().getConnectionAttributeStore());
            if (p.isEmpty()) {
                return;
            }
            // interceptors cost ~40% of HiveMQ's throughput: services and admins get only the ingress
            if (p.get().role().isDevice()) {
                // order matters: a refused publish must not use up the device's rate
                if (in.getConnectionInformation().getMqttVersion() == MqttVersion.V_5) {
                    context.addPublishInboundInterceptor(new AclPublishInterceptor(acl, p.get(), metrics));
                }
                if (deviceMessagesPerSecond > 0) {
                    context.addPublishInboundInterceptor(new DeviceRateLimiter(
                            new TokenBucket(deviceMessagesPerSecond, System::nanoTime), scheduler, metrics));
                }
                if (events != ClientEvents.NONE && p.get().role() == Role.DEVICE) {
                    context.addPublishInboundInterceptor(new StatusObserver(events, p.get()));
                }
            }
            if (ingress != null) {
                context.addPublishInboundInterceptor(new IngressInterceptor(ingress, acl, p.get(), metrics));
            }
        });
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        // Nothing to release: the component owns the executors.
    }
}
