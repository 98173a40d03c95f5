-- How late an instance's polls started, per UTC hour: the longest lag and how many polls started in that hour. Written
-- as each poll starts (dev.egnytebridge.poller.PollLagHours), read by GET /instances/{id}/activity; hours older than
-- the longest activity window (168 hours) and a day are deleted as new hours begin.
CREATE TABLE poll_lag_hour (
    instance_id  BIGINT     NOT NULL,
    hour_start   TIMESTAMP  NOT NULL,
    max_lag_ms   BIGINT     NOT NULL,
    polls        INT        NOT NULL,
    PRIMARY KEY (instance_id, hour_start),
    CONSTRAINT fk_poll_lag_instance FOREIGN KEY (instance_id) REFERENCES element_instance (id) ON DELETE CASCADE
);
