-- A subscription may take its events in CloudEvents JSON batches (up to max_batch a request) rather than one a
-- request: in-order delivery waits for each answer, so one event a request is bounded by the endpoint's round trip.
-- replays counts replays, so that a delivery turn that began before one does not write its position over it.
alter table feeds.webhook_subscriptions
    add column max_batch integer not null default 1 check (max_batch between 1 and 1000),
    add column replays   integer not null default 0;
