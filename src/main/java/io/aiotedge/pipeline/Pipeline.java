package io.aiotedge.pipeline;

import io.aiotedge.config.PipelineConfig;
import io.aiotedge.core.AbstractComponent;
import io.aiotedge.core.NamedThreads;
import io.aiotedge.core.Rejection;
import io.aiotedge.datastore.FeatureStore;
import io.aiotedge.models.ModelRegistry;
import io.aiotedge.models.RolloutController;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MLOps pipeline on a platform node: runs one at a time on its own thread, queued by
 * {@link #submit} (API, CLI) or by the schedule ({@code pipeline.scheduleMinutes}: a drift check
 * that trains only on drift or when there is no champion). Every run and stage is recorded in
 * the database as it progresses; runs left unfinished by a crash are marked failed at start.
 */
public final class Pipeline extends AbstractComponent {
    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    private final PipelineConfig config;
    private final RunStore runs;
    private final FeatureStore store;
    private final ModelRegistry models;
    private final RolloutController rollouts;
    private final Clock clock;
    private final Counter succeeded;
    private final Counter skipped;
    private final Counter failed;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile ScheduledExecutorService executor;

    public Pipeline(PipelineConfig config, Supplier<DataSource> db, FeatureStore store, ModelRegistry models,
            Clock clock,
            MeterRegistry meters) {
        this(config, db, store, models, null, clock, meters);
    }

    /** @param rollouts stages promotions when {@code rollout.*} asks for it; null = always one step */
    public Pipeline(PipelineConfig config, Supplier<DataSource> db, FeatureStore store, ModelRegistry models,
            RolloutController rollouts, Clock clock, MeterRegistry meters) {
        super("pipeline");
        this.rollouts = rollouts;
        this.config = config;
        this.runs = new RunStore(db);
        this.store = store;
        this.models = models;
        this.clock = clock;
        this.succeeded = counter(meters, RunStatus.SUCCEEDED);
        this.skipped = counter(meters, RunStatus.SKIPPED);
        this.failed = counter(meters, RunStatus.FAILED);
    }

    private static Counter counter(MeterRegistry meters, RunStatus outcome) {
        return Counter.builder("aiot_pipeline_runs_total").tag("outcome", outcome.wire())
                .description("Pipeline runs finished, by outcome").register(meters);
    }

    @Override
    protected void doStart() {
        int abandoned = runs.failAbandoned(clock.millis());
        if (abandoned > 0) {
            log.warn("Marked {} pipeline run(s) left unfinished by an earlier process as failed", abandoned);
        }
        executor = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("pipeline"));
        if (config.scheduleMinutes() > 0) {
            executor.scheduleWithFixedDelay(() -> {
                if (!busy.get()) {
                    submit("schedule", false);
                }
            }, config.scheduleMinutes(), config.scheduleMinutes(), TimeUnit.MINUTES);
        }
    }

    @Override
    protected void doStop() throws InterruptedException {
        ScheduledExecutorService e = executor;
        executor = null;
        if (e != null) {
            e.shutdownNow();
            e.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Queues a run; returns its id at once.
     *
     * @param force train even when the data has not drifted
     */
    public long submit(String trigger, boolean force) {
        ScheduledExecutorService e = executor;
        if (e == null) {
            throw new IllegalStateException("the pipeline is not running");
        }
        long id = runs.create(trigger, clock.millis(), RunExecution.pendingStages());
        e.execute(() -> execute(id, trigger, force));
        log.info("Pipeline run {} queued ({}{})", id, trigger, force ? ", forced" : "");
        return id;
    }

    private void execute(long id, String trigger, boolean force) {
        busy.set(true);
        try {
            new RunExecution(id, trigger, force, config, new LocalPlatformAccess(store, models, rollouts), clock,
                    (status, stages, version, outcome, done) -> {
                        runs.update(id, status, done ? clock.millis() : null, stages, version, outcome);
                        if (done) {
                            log.info("Pipeline run {} {}: {}", id, status, outcome);
                            int pruned = runs.pruneFinished(config.keepRuns());
                            if (pruned > 0) {
                                log.info("Deleted {} pipeline run(s) beyond pipeline.keepRuns {}", pruned,
                                        config.keepRuns());
                            }
                            (status == RunStatus.SUCCEEDED ? succeeded : status == RunStatus.SKIPPED ? skipped : failed)
                                    .increment();
                        }
                    }).run();
        } finally {
            busy.set(false);
        }
    }

    public PipelineRun run(long id) {
        return runs.find(id).orElseThrow(() -> Rejection.notFound("pipeline run " + id));
    }

    public List<PipelineRun> recent(int limit) {
        return runs.recent(limit);
    }

    public PipelineConfig config() {
        return config;
    }
}
