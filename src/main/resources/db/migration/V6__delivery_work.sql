-- Less work per delivery (issue 12, drain figures).
-- The newest date among a notification's events, found when it is built: delivering it updates the instance's lag
-- gauge (bridge_instance_lag_seconds) without reading the JSON body again. NULL for rows stored before this version
-- (their body is read instead) and for notifications without dated events.
ALTER TABLE notification ADD COLUMN newest_event_at TIMESTAMP;
-- ix_delivery_claim (status, next_attempt_at, origin) serves every query ix_delivery_due (status, next_attempt_at)
-- served: one index fewer to update on every insert, lease and outcome.
DROP INDEX ix_delivery_due;
