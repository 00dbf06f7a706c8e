package io.aiotedge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AbstractComponentTest {

    @Test
    void start_afterStop_restarts() {
        RecordingComponent c = new RecordingComponent("x", new ArrayList<>(), false);
        c.start();
        c.stop();
        c.start();
        assertEquals(ComponentState.RUNNING, c.state());
        assertEquals(2, c.starts);
    }

    @Test
    void stop_neverStarted_isStoppedWithoutCallingDoStop() {
        RecordingComponent c = new RecordingComponent("x", new ArrayList<>(), false);
        c.stop();
        assertEquals(ComponentState.STOPPED, c.state());
        assertEquals(0, c.stops);
    }

    @Test
    void start_fails_releasesResourcesAndNamesTheComponent() {
        List<String> journal = new ArrayList<>();
        RecordingComponent c = new RecordingComponent("mqtt", journal, true);
        StartupException e = assertThrows(StartupException.class, c::start);
        assertTrue(e.getMessage().startsWith("mqtt failed to start"), e.getMessage());
        assertEquals(List.of("start mqtt", "stop mqtt"), journal);
        assertEquals(ComponentState.FAILED, c.state());
    }

    @Test
    void start_failsWithAConfigProblem_staysAConfigException() {
        AbstractComponent c = configProblem();
        ConfigException e = assertThrows(ConfigException.class, c::start);
        assertEquals(List.of("inference.publicKey: not a key"), e.problems());
        assertEquals(ComponentState.FAILED, c.state());
        List<String> journal = new ArrayList<>();
        EdgeRuntime runtime = new EdgeRuntime(List.of(new RecordingComponent("http", journal, false), configProblem()));
        assertThrows(ConfigException.class, runtime::start); // so the process exits 2
        assertEquals(List.of("start http", "stop http"), journal);
    }

    private static AbstractComponent configProblem() {
        return new AbstractComponent("inference") {
            @Override
            protected void doStart() {
                throw new ConfigException("inference.publicKey: not a key");
            }

            @Override
            protected void doStop() {
            }
        };
    }

    @Test
    void transitions_onlyTheDocumentedOnesAreAllowed() {
        assertTrue(ComponentState.NEW.canMoveTo(ComponentState.STARTING));
        assertTrue(ComponentState.RUNNING.canMoveTo(ComponentState.STOPPING));
        assertFalse(ComponentState.RUNNING.canMoveTo(ComponentState.STARTING));
        assertFalse(ComponentState.STOPPED.canMoveTo(ComponentState.RUNNING));
        assertFalse(ComponentState.NEW.canMoveTo(ComponentState.RUNNING));
    }
}
