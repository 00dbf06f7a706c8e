-- How a device was provisioned: 'api' (POST /api/v1/devices, secret only) or 'compat'
-- (POST /provisionDevice, the reference firmware's path). Only 'compat' devices may log in to
-- MQTT without credentials (compat.legacyDevices), and only once an admin activated them or they
-- presented the one-time activation code (stored as its SHA-256, hex; cleared once used).
ALTER TABLE devices ADD COLUMN provisioned_via VARCHAR(16) DEFAULT 'api' NOT NULL;
ALTER TABLE devices ADD COLUMN activation_code_hash VARCHAR(64);
-- Devices made by /provisionDevice before this migration carry its type: keep them working.
UPDATE devices SET provisioned_via = 'compat' WHERE type = 'reference-esp32';
