package io.aiotedge.broker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TopicMatchTest {

    @Test
    void matches_wildcards_followMqttRules() {
        assertTrue(TopicMatch.matches("a/+/c", "a/b/c"));
        assertTrue(TopicMatch.matches("a/#", "a"), "'#' also matches the parent level");
        assertTrue(TopicMatch.matches("a/#", "a/b/c"));
        assertFalse(TopicMatch.matches("a/+", "a/b/c"));
        assertFalse(TopicMatch.matches("a/b", "a/b/c"));
        assertTrue(TopicMatch.matches("+/+", "/x"), "an empty level is a level");
    }

    @Test
    void covers_narrowerFilter_isCovered() {
        assertTrue(TopicMatch.covers("a/#", "a/b/#"));
        assertTrue(TopicMatch.covers("a/#", "a/+/c"));
        assertTrue(TopicMatch.covers("a/+/c", "a/+/c"));
    }

    @Test
    void covers_widerFilter_isNotCovered() {
        assertFalse(TopicMatch.covers("a/+", "a/#"));
        assertFalse(TopicMatch.covers("a/b/#", "a/+/#"));
        assertFalse(TopicMatch.covers("aiot/v1/things/A/#", "aiot/v1/things/+/telemetry"));
        assertFalse(TopicMatch.covers("aiot/v1/things/A/#", "#"));
    }

    @Test
    void covers_dollarTopics_needExplicitDollarLevel() {
        assertFalse(TopicMatch.covers("#", "$SYS/broker"));
        assertFalse(TopicMatch.covers("+/broker", "$SYS/broker"));
        assertTrue(TopicMatch.covers("$SYS/#", "$SYS/broker"));
    }
}
