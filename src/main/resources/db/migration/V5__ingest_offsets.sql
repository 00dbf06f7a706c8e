-- The ingest's position in Kafka, per consumer group: for each topic partition the offset of the
-- next record to read. Written in the same transaction as the rows of the batch it covers, so
-- the datastore and its position never disagree after a crash; read at partition assignment.
-- (Kafka's committed group offsets are still committed afterwards, as a fallback only.)
CREATE TABLE ingest_offsets (
    group_id        VARCHAR(255) NOT NULL,
    topic           VARCHAR(255) NOT NULL,
    topic_partition INT          NOT NULL,
    next_offset     BIGINT       NOT NULL,
    updated_at      BIGINT       NOT NULL,
    PRIMARY KEY (group_id, topic, topic_partition)
);
