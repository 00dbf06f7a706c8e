-- Alerts the platform raises itself (a rollout rolled back, docs/platform.md "Alerts"): they name a
-- model, not a device, so device_id may be NULL (only such platform rows have it NULL: a consumed
-- record without a device is refused), and they say why in reason.
ALTER TABLE alerts ALTER COLUMN device_id DROP NOT NULL;
ALTER TABLE alerts ADD COLUMN reason VARCHAR(1024);
