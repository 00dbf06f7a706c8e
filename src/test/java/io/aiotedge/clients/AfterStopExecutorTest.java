package io.aiotedge.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AfterStopExecutorTest {

    @Test
    void runsTasksWhileItsExecutorRunsAndDropsThoseHandedOverAfterShutdown() throws InterruptedException {
        ExecutorService owner = Executors.newSingleThreadExecutor();
        AfterStopExecutor executor = new AfterStopExecutor(owner);
        AtomicInteger ran = new AtomicInteger();
        executor.execute(ran::incrementAndGet);
        executor.execute(ran::incrementAndGet);
        owner.shutdown();
        assertEquals(true, owner.awaitTermination(5, TimeUnit.SECONDS));

        executor.execute(ran::incrementAndGet);
        executor.execute(ran::incrementAndGet);
        executor.execute(ran::incrementAndGet);

        assertEquals(2, ran.get());
        assertEquals(3, executor.dropped());
    }
}
