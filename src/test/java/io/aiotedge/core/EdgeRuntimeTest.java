package io.aiotedge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EdgeRuntimeTest {
    private final List<String> journal = new ArrayList<>();

    @Test
    void start_startsInOrder_stop_stopsInReverse() {
        EdgeRuntime rt = new EdgeRuntime(List.of(c("a"), c("b"), c("c")));
        rt.start();
        rt.stop();
        assertEquals(List.of("start a", "start b", "start c", "stop c", "stop b", "stop a"), journal);
    }

    @Test
    void start_failingComponent_stopsTheStartedOnesAndRethrows() {
        RecordingComponent a = c("a");
        RecordingComponent b = c("b");
        RecordingComponent bad = new RecordingComponent("bad", journal, true);
        RecordingComponent never = c("never");
        EdgeRuntime rt = new EdgeRuntime(List.of(a, b, bad, never));

        StartupException e = assertThrows(StartupException.class, rt::start);

        assertTrue(e.getMessage().contains("bad"), e.getMessage());
        assertTrue(e.getMessage().contains("port already in use"), e.getMessage());
        // the failed one released its own resources, then the started ones stopped in reverse
        assertEquals(List.of("start a", "start b", "start bad", "stop bad", "stop b", "stop a"), journal);
        assertEquals(0, never.starts);
        assertEquals(ComponentState.FAILED, bad.state());
        assertEquals(ComponentState.STOPPED, a.state());
    }

    @Test
    void startAndStop_calledTwice_areIdempotent() {
        RecordingComponent a = c("a");
        EdgeRuntime rt = new EdgeRuntime(List.of(a));
        rt.start();
        rt.start();
        rt.stop();
        rt.stop();
        assertEquals(1, a.starts);
        assertEquals(1, a.stops);
    }

    @Test
    void stop_componentFailsToStop_othersStillStopAndFirstFailureIsRethrown() {
        RecordingComponent a = c("a");
        AbstractComponent failingStop = new AbstractComponent("sticky") {
            @Override
            protected void doStart() {
                journal.add("start sticky");
            }

            @Override
            protected void doStop() {
                throw new IllegalStateException("file locked");
            }
        };
        EdgeRuntime rt = new EdgeRuntime(List.of(a, failingStop));
        rt.start();
        EdgeException e = assertThrows(EdgeException.class, rt::stop);
        assertTrue(e.getMessage().contains("file locked"));
        assertEquals(ComponentState.STOPPED, a.state());
    }

    @Test
    void ready_onlyWhenEveryComponentRuns() {
        RecordingComponent a = c("a");
        EdgeRuntime rt = new EdgeRuntime(List.of(a, c("b")));
        assertFalse(rt.ready());
        rt.start();
        assertTrue(rt.ready());
        a.stop();
        assertFalse(rt.ready());
        assertEquals(Health.Status.DOWN, rt.health().get("a").status());
    }

    private RecordingComponent c(String name) {
        return new RecordingComponent(name, journal, false);
    }
}
