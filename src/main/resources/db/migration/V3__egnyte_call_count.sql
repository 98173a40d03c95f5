-- Calls made to Egnyte per access token (its SHA-256, never the token) and instance, in 10-minute buckets: the
-- rolling 24-hour count that the daily call budget (egnyte.rate-limit.calls-per-day) paces polls by, shared by every
-- node of a cluster (dev.egnytebridge.budget.CallBudget). Buckets older than a day and a bucket are deleted as new
-- ones begin.
CREATE TABLE egnyte_call_count (
    token_key    VARCHAR(64)  NOT NULL,
    instance_id  BIGINT       NOT NULL,
    bucket_start TIMESTAMP    NOT NULL,
    calls        INT          NOT NULL,
    PRIMARY KEY (token_key, instance_id, bucket_start)
);
CREATE INDEX ix_call_count_instance ON egnyte_call_count (instance_id, bucket_start);
