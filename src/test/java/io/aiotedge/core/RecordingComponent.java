package io.aiotedge.core;

import java.util.List;

/** A real component that records its start/stop calls in a shared journal, optionally failing to start. */
final class RecordingComponent extends AbstractComponent {
    private final List<String> journal;
    private final boolean failOnStart;
    int starts;
    int stops;

    RecordingComponent(String name, List<String> journal, boolean failOnStart) {
        super(name);
        this.journal = journal;
        this.failOnStart = failOnStart;
    }

    @Override
    protected void doStart() {
        starts++;
        journal.add("start " + name());
        if (failOnStart) {
            throw new IllegalStateException("port already in use");
        }
    }

    @Override
    protected void doStop() {
        stops++;
        journal.add("stop " + name());
    }
}
