-- A node's counts are cumulative since the rollout began (shadow included), so the canary's alert
-- rates subtract what each report row held when the canary stage began: one row per node, session
-- and device of the rollout, written when the rollout enters canary. A row that appears later (a
-- device first seen, a node restarted) has no baseline and counts from zero.
CREATE TABLE rollout_canary_baselines (
    rollout_id       VARCHAR(32)  NOT NULL,
    node_id          VARCHAR(64)  NOT NULL,
    session_id       VARCHAR(64)  NOT NULL,
    device_id        VARCHAR(128) NOT NULL,
    champion_alerts  BIGINT       NOT NULL,
    candidate_alerts BIGINT       NOT NULL,
    PRIMARY KEY (rollout_id, node_id, session_id, device_id)
);
