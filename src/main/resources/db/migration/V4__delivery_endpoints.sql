-- Delivery isolated per endpoint (routes/deliver-notifications.yaml): fair dispatch across endpoints, a circuit
-- breaker and throttling per endpoint, callback URLs disabled after 410 Gone or a long outage, and a sequence number
-- per instance on every notification. Portable SQL: runs unchanged on H2 2.x and PostgreSQL 12+.

-- The endpoint of a delivery: its callback URL's origin (scheme://host[:port]), the unit of isolation. Filled at
-- enqueue; rows stored by an older version are filled when the bridge starts.
ALTER TABLE delivery ADD COLUMN origin VARCHAR(300);
-- the claim that leased the delivery: one UPDATE leases a whole batch, one SELECT reads back what it got
ALTER TABLE delivery ADD COLUMN lease_token VARCHAR(40);
CREATE INDEX ix_delivery_claim ON delivery (status, next_attempt_at, origin);
CREATE INDEX ix_delivery_origin ON delivery (origin, status);
CREATE INDEX ix_delivery_lease ON delivery (lease_token);
-- when the next lease runs out (a delivery a killed process had leased is due again then)
CREATE INDEX ix_delivery_lease_until ON delivery (lease_until);

-- One row per endpoint (origin) that has ever failed or been throttled; shared by every node of a cluster.
CREATE TABLE delivery_endpoint (
    origin               VARCHAR(300)  PRIMARY KEY,
    -- failed attempts in a row (timeout, connection error, 5xx); a 2xx resets it
    consecutive_failures INT           DEFAULT 0 NOT NULL,
    -- circuit: open until this time (no attempts); once past, one probe is let through. NULL: closed
    open_until           TIMESTAMP,
    -- how long the circuit opened for the last time (doubles while probes fail, up to the maximum)
    open_seconds         INT,
    -- the endpoint asked to slow down (429/503 with Retry-After): no attempts until then
    throttled_until      TIMESTAMP,
    -- first failure of the current run of failures; NULL while healthy
    failing_since        TIMESTAMP,
    last_error           VARCHAR(1000),
    updated_at           TIMESTAMP     NOT NULL
);

-- One row per callback URL of an instance that has failed, or been disabled (410 Gone, or failing for
-- bridge.delivery.disable-after). A disabled URL's new deliveries wait, PENDING, until it is enabled again.
CREATE TABLE callback_target (
    instance_id      BIGINT         NOT NULL,
    url              VARCHAR(2048)  NOT NULL,
    failing_since    TIMESTAMP,
    last_error       VARCHAR(1000),
    disabled_at      TIMESTAMP,
    disabled_reason  VARCHAR(400),
    updated_at       TIMESTAMP      NOT NULL,
    PRIMARY KEY (instance_id, url),
    CONSTRAINT fk_target_instance FOREIGN KEY (instance_id) REFERENCES element_instance (id) ON DELETE CASCADE
);

-- message.sequence: one more for each notification of an instance, in the order its events were read
ALTER TABLE element_instance ADD COLUMN notification_sequence BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE notification ADD COLUMN sequence BIGINT;
