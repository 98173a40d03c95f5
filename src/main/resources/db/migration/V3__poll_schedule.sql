-- The poll schedule lives in the database: one timer per node claims the instances whose next poll is due and hands
-- them to a bounded pool of poller threads (routes/schedule-polls.yaml). This replaces one Quartz trigger and one
-- Camel route per instance. Portable SQL: runs unchanged on H2 2.x and PostgreSQL 12+.

-- the effective interval (event.poller.refresh_interval raised to bridge.poller.min-interval-seconds)
ALTER TABLE element_instance ADD COLUMN poll_interval_ms BIGINT;
-- when the next poll is due; NULL while the instance is not polled (events off, invalid, disabled, poller disabled)
ALTER TABLE element_instance ADD COLUMN next_poll_at TIMESTAMP;
-- the node running (or about to run) this instance's poll, and until when that claim holds unless renewed: no other
-- node or tick starts a second poll of the instance meanwhile, and a dead node's claim simply runs out
ALTER TABLE element_instance ADD COLUMN poll_lease_owner VARCHAR(100);
ALTER TABLE element_instance ADD COLUMN poll_lease_until TIMESTAMP;
CREATE INDEX ix_instance_next_poll ON element_instance (next_poll_at);

-- Quartz's clustered job store (V2) is no longer used: the poll schedule above is shared by every node.
DROP TABLE IF EXISTS QRTZ_FIRED_TRIGGERS;
DROP TABLE IF EXISTS QRTZ_PAUSED_TRIGGER_GRPS;
DROP TABLE IF EXISTS QRTZ_SCHEDULER_STATE;
DROP TABLE IF EXISTS QRTZ_LOCKS;
DROP TABLE IF EXISTS QRTZ_SIMPLE_TRIGGERS;
DROP TABLE IF EXISTS QRTZ_SIMPROP_TRIGGERS;
DROP TABLE IF EXISTS QRTZ_CRON_TRIGGERS;
DROP TABLE IF EXISTS QRTZ_BLOB_TRIGGERS;
DROP TABLE IF EXISTS QRTZ_TRIGGERS;
DROP TABLE IF EXISTS QRTZ_JOB_DETAILS;
DROP TABLE IF EXISTS QRTZ_CALENDARS;
