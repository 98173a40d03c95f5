-- Less work per delivery (issue 12, drain figures).
-- The newest date among a notification's events, found when it is built: delivering it updates the instance's lag
-- gauge (bridge_instance_lag_seconds) without reading the JSON body again. NULL for rows stored before this version
-- (their body is read instead) and for notifications without dated events.
ALTER TABLE notification ADD COLUMN newest_event_at TIMESTAMP;
-- ix_delivery_claim (status, next_attempt_at, origin) serves every query ix_delivery_due (status, next_attempt_at)
-- served: one index fewer to update on every insert, lease and outcome.
DROP INDEX ix_delivery_due;
-- A claim reads back what it leased by id (the primary key) and token, so lease_token needs no index of its own.
DROP INDEX ix_delivery_lease;
-- message.sequence's counter in a small row of its own per instance (it was element_instance.notification_sequence):
-- numbering a notification no longer rewrites the instance's row, with its configuration and secrets, every time.
-- The row is made with the instance's first notification.
CREATE TABLE notification_counter (
    instance_id    BIGINT  PRIMARY KEY,
    last_sequence  BIGINT  NOT NULL,
    CONSTRAINT fk_counter_instance FOREIGN KEY (instance_id) REFERENCES element_instance (id) ON DELETE CASCADE
);
INSERT INTO notification_counter (instance_id, last_sequence)
    SELECT id, notification_sequence FROM element_instance WHERE notification_sequence > 0;
ALTER TABLE element_instance DROP COLUMN notification_sequence;
