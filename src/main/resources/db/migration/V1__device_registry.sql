-- Device registry: one row per provisioned device. Times are epoch milliseconds (UTC).
CREATE TABLE devices (
    id               VARCHAR(128)  PRIMARY KEY,
    type             VARCHAR(64)   NOT NULL,
    metadata         VARCHAR(8192) NOT NULL,      -- JSON object
    secret_hash      VARCHAR(256)  NOT NULL,      -- PBKDF2, see core.auth.PasswordHasher
    state            VARCHAR(16)   NOT NULL,      -- provisioned | active | revoked
    created_at       BIGINT        NOT NULL,
    activated_at     BIGINT,
    revoked_at       BIGINT,
    online           BOOLEAN       DEFAULT FALSE NOT NULL,
    last_seen        BIGINT,
    firmware_version VARCHAR(64),
    model_version    VARCHAR(128)
);
