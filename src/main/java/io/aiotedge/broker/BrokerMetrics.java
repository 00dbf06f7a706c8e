package io.aiotedge.broker;

import com.codahale.metrics.Counting;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;

/**
 * The broker's Prometheus metrics: our own counters (auth, ACL, rate limits) plus HiveMQ's
 * internal connection and message counters, read from its Dropwizard registry at scrape time.
 */
final class BrokerMetrics {
    /** Our metric name -> HiveMQ's Dropwizard metric name. */
    private static final Map<String, String> HIVEMQ_COUNTERS = Map.of(
            "aiot_mqtt_messages_in", "com.hivemq.messages.incoming.publish.count",
            "aiot_mqtt_messages_out", "com.hivemq.messages.outgoing.publish.count",
            "aiot_mqtt_messages_dropped", "com.hivemq.messages.dropped.count",
            "aiot_mqtt_bytes_in", "com.hivemq.networking.bytes.read.total",
            "aiot_mqtt_bytes_out", "com.hivemq.networking.bytes.write.total",
            "aiot_mqtt_connections_closed", "com.hivemq.networking.connections-closed.total.count");
    private static final String CONNECTIONS = "com.hivemq.networking.connections.current";
    private static final String RETAINED = "com.hivemq.messages.retained.current";

    final Counter authSuccess;
    final Counter authFailedBadCredentials;
    final Counter authFailedAnonymous;
    final Counter authRateLimited;
    final Counter authBusy;
    final Counter authClientIdRefused;
    final Counter publishDenied;
    final Counter subscribeDenied;
    final Counter rateLimitedDelayed;
    final Counter rateLimitedRefused;
    final Counter ingressDeadLettered;
    final Counter ingressRefused;
    final Counter ingressFailed;
    private final MeterRegistry registry;

    BrokerMetrics(MeterRegistry registry) {
        this.registry = registry;
        authSuccess = Counter.builder("aiot_mqtt_auth_total").tag("result", "success").register(registry);
        authFailedBadCredentials = Counter.builder("aiot_mqtt_auth_total").tag("result", "bad_credentials")
                .description("Connects refused").register(registry);
        authFailedAnonymous = Counter.builder("aiot_mqtt_auth_total").tag("result", "anonymous_refused")
                .register(registry);
        authRateLimited = Counter.builder("aiot_mqtt_auth_total").tag("result", "rate_limited")
                .register(registry);
        authBusy = Counter.builder("aiot_mqtt_auth_total").tag("result", "busy").register(registry);
        authClientIdRefused = Counter.builder("aiot_mqtt_auth_total").tag("result", "client_id_refused")
                .register(registry);
        publishDenied = Counter.builder("aiot_mqtt_acl_denied_total").tag("action", "publish").register(registry);
        subscribeDenied = Counter.builder("aiot_mqtt_acl_denied_total").tag("action", "subscribe").register(registry);
        rateLimitedDelayed = Counter.builder("aiot_mqtt_rate_limited_total").tag("outcome", "delayed")
                .description("Publishes over a device's rate: QoS>0 delayed (back-pressure)").register(registry);
        rateLimitedRefused = Counter.builder("aiot_mqtt_rate_limited_total").tag("outcome", "refused")
                .description("Publishes over a device's rate: QoS0 dropped, QoS>0 refused with 0x97")
                .register(registry);
        ingressDeadLettered = ingress(registry, "dead_lettered");
        ingressRefused = ingress(registry, "refused_retry");
        ingressFailed = ingress(registry, "failed");
    }

    private static Counter ingress(MeterRegistry registry, String outcome) {
        return Counter.builder("aiot_mqtt_ingress_rejected_total").tag("outcome", outcome)
                .description("Publishes the bridge did not accept, by what the client was told").register(registry);
    }

    /** Exposes HiveMQ's own counters; call once after the broker started. */
    void bindHiveMq(MetricRegistry hivemq) {
        HIVEMQ_COUNTERS.forEach((ours, theirs) -> FunctionCounter.builder(ours, hivemq, r -> count(r, theirs))
                .register(registry));
        registry.gauge("aiot_mqtt_connections", Tags.empty(), hivemq, r -> count(r, CONNECTIONS));
        registry.gauge("aiot_mqtt_retained_messages", Tags.empty(), hivemq, r -> count(r, RETAINED));
    }

    private static double count(MetricRegistry r, String name) {
        Metric m = r.getMetrics().get(name);
        if (m instanceof Counting c) {
            return c.getCount();
        }
        if (m instanceof Gauge<?> g && g.getValue() instanceof Number n) {
            return n.doubleValue();
        }
        return Double.NaN;
    }
}
