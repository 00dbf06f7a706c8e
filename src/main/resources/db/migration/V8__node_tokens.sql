-- Model-download tokens of inference nodes (least privilege: they may only download models).
-- The token is node:<id>.<secret> with a 256-bit random secret; only its SHA-256 is kept.
CREATE TABLE node_tokens (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    secret_sha  CHAR(64)     NOT NULL,
    created_at  BIGINT       NOT NULL,
    created_by  VARCHAR(128) NOT NULL,
    revoked_at  BIGINT
);
