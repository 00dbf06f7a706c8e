package io.aiotedge.broker;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Holds one device connection to its publish rate. Over the rate, a QoS 1/2 publish is held back
 * (its PUBACK comes later, which slows a well-behaved client without losing anything) for up to
 * {@link #MAX_DELAY}; beyond that it is refused with 0x97 (quota exceeded) so the device retries.
 * A QoS 0 publish over the rate is dropped (best effort by definition). Both are counted.
 * One instance per connection.
 */
final class DeviceRateLimiter implements PublishInboundInterceptor {
    static final Duration MAX_DELAY = Duration.ofSeconds(2);

    private final TokenBucket bucket;
    private final ScheduledExecutorService scheduler;
    private final BrokerMetrics metrics;

    DeviceRateLimiter(TokenBucket bucket, ScheduledExecutorService scheduler, BrokerMetrics metrics) {
        this.bucket = bucket;
        this.scheduler = scheduler;
        this.metrics = metrics;
    }

    @Override
    public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
        long waitNanos = bucket.reserve();
        if (waitNanos == 0) {
            return;
        }
        boolean qos0 = input.getPublishPacket().getQos() == Qos.AT_MOST_ONCE;
        if (qos0 || waitNanos > MAX_DELAY.toNanos()) {
            bucket.giveBack();
            metrics.rateLimitedRefused.increment();
            output.preventPublishDelivery(AckReasonCode.QUOTA_EXCEEDED, "publish rate limit exceeded");
            return;
        }
        metrics.rateLimitedDelayed.increment();
        Async<PublishInboundOutput> async = output.async(MAX_DELAY.plusSeconds(1), TimeoutFallback.SUCCESS);
        try {
            scheduler.schedule(async::resume, waitNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            async.resume();
        }
    }
}
