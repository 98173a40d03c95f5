-- Egnyte's native webhooks as a doorbell (event.vendor.type = webhooks): one row per instance that uses them, the
-- registration the bridge keeps at Egnyte and what a push must prove (dev.egnytebridge.push).
CREATE TABLE egnyte_push (
    instance_id       BIGINT         PRIMARY KEY,
    -- the random key in the receiver's path, {bridge.public-base-url}/events/egnyte/{hook_key} (256 bits, base64url)
    hook_key          VARCHAR(64)    NOT NULL,
    -- SHA-256 (hex) of the auth header value registered with Egnyte: a push is checked against it in constant time
    auth_hash         VARCHAR(64)    NOT NULL,
    -- the auth header value itself, AES-GCM encrypted: sent again when the registration is replaced or renewed
    auth_value        VARCHAR(400)   NOT NULL,
    -- pending, active, refused, expired, disabled or off (docs/api.md)
    state             VARCHAR(20)    NOT NULL,
    reason            VARCHAR(1000),
    -- Egnyte's id of the registration, while one exists
    webhook_id        VARCHAR(200),
    expires_at        TIMESTAMP,
    -- what was registered (url, eventType, path as JSON), to see when a PATCH changed the filters
    registered        VARCHAR(8000),
    last_push_at      TIMESTAMP,
    -- upkeeps in a row that failed for a passing reason: each doubles the wait before the next (bridge.push.retry-seconds)
    failures          INT            DEFAULT 0 NOT NULL,
    -- the earliest push no poll has answered yet: the next poll takes it, for the push-to-delivery latency metric
    pending_push_at   TIMESTAMP,
    -- when the registration is next looked after (register, update, renew, check status, delete)
    next_check_at     TIMESTAMP,
    -- the node looking after it now, and until when: no two nodes register the same instance at once
    sync_owner        VARCHAR(100),
    sync_until        TIMESTAMP,
    updated_at        TIMESTAMP      NOT NULL,
    CONSTRAINT uq_push_hook_key UNIQUE (hook_key),
    CONSTRAINT fk_push_instance FOREIGN KEY (instance_id) REFERENCES element_instance (id) ON DELETE CASCADE
);
CREATE INDEX ix_push_next_check ON egnyte_push (next_check_at);

-- When the instance's latest poll was claimed: pushes close together wait for the coalescing window after it
-- (bridge.push.coalesce-ms), so a flood of pushes costs at most one poll per window.
ALTER TABLE element_instance ADD COLUMN poll_claimed_at TIMESTAMP;

-- When the push that brought the poll which built this notification arrived (null for a poll no push brought): its
-- deliveries measure the push-to-delivery latency (bridge_push_to_delivery_seconds).
ALTER TABLE notification ADD COLUMN pushed_at TIMESTAMP;
