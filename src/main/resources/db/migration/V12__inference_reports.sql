-- Issue 17: what inference nodes report (POST /api/v1/nodes/{id}/report). Counts are cumulative per
-- node process (session) and rollout; the newest report per key replaces the row, and readers sum
-- over sessions, so a node restart loses nothing and a repeated report counts once.
CREATE TABLE inference_reports (
    node_id                         VARCHAR(64)  NOT NULL,
    session_id                      VARCHAR(64)  NOT NULL,
    rollout_id                      VARCHAR(32)  NOT NULL,   -- '' outside a rollout
    device_id                       VARCHAR(128) NOT NULL,
    served_by                       INT,
    windows                         BIGINT       NOT NULL,
    agree                           BIGINT       NOT NULL,
    champion_failure                BIGINT       NOT NULL,
    candidate_failure               BIGINT       NOT NULL,
    candidate_failure_on_champion_ok BIGINT      NOT NULL,
    champion_band_changes           BIGINT       NOT NULL,
    candidate_band_changes          BIGINT       NOT NULL,
    alerts                          BIGINT       NOT NULL,
    champion_alerts                 BIGINT       NOT NULL,
    candidate_alerts                BIGINT       NOT NULL,
    labelled                        BIGINT       NOT NULL,
    champion_correct                BIGINT       NOT NULL,
    candidate_correct               BIGINT       NOT NULL,
    deciles                         VARCHAR(512) NOT NULL,   -- JSON array of 10 counts
    updated_at                      BIGINT       NOT NULL,
    PRIMARY KEY (node_id, session_id, rollout_id, device_id)
);
CREATE INDEX inference_reports_rollout ON inference_reports (rollout_id);

CREATE TABLE node_serving (
    node_id           VARCHAR(64)  NOT NULL PRIMARY KEY,
    model_name        VARCHAR(64)  NOT NULL,
    version           INT,
    candidate_version INT,
    rollout_id        VARCHAR(32)  NOT NULL,
    candidate_state   VARCHAR(16)  NOT NULL,                 -- none | loading | loaded | failed
    detail            VARCHAR(512) NOT NULL,
    load_failures     INT          NOT NULL,
    updated_at        BIGINT       NOT NULL
);
