-- Webhook subscriptions (a registry, so mutable) and the record of every delivery attempt and
-- every dead letter (append-only).

create table feeds.webhook_subscriptions (
    id                 uuid        primary key,
    integrator_id      text        not null,
    endpoint           text        not null,
    secret             text        not null,  -- the HMAC-SHA256 key the receiver checks signatures with
    event_types        text[]      not null,
    institutions       text[]      not null,
    clear_identifiers  boolean     not null,
    status             text        not null default 'active' check (status in ('active', 'paused')),
    position           bigint      not null default 0,  -- the last global sequence number done with
    attempts           integer     not null default 0,  -- failed attempts at the event after position
    next_attempt_at    timestamptz,
    created_at         timestamptz not null default now()
);

create table feeds.webhook_deliveries (
    id               bigint      generated always as identity primary key,
    subscription_id  uuid        not null references feeds.webhook_subscriptions (id),
    sequence         bigint      not null,
    event_id         uuid        not null,
    attempt          integer     not null,
    delivered        boolean     not null,
    status_code      integer,
    error            text,
    duration_ms      integer     not null,
    attempted_at     timestamptz not null default clock_timestamp()
);
create index webhook_deliveries_by_subscription on feeds.webhook_deliveries (subscription_id, sequence);

create table feeds.webhook_dead_letters (
    subscription_id  uuid        not null references feeds.webhook_subscriptions (id),
    sequence         bigint      not null,
    event_id         uuid        not null,
    attempts         integer     not null,
    last_error       text        not null,
    dead_at          timestamptz not null default clock_timestamp(),
    primary key (subscription_id, sequence)
);

grant usage on schema feeds to eventstore_writer;
grant select, insert, update on feeds.webhook_subscriptions to eventstore_writer;
grant select, insert on feeds.webhook_deliveries to eventstore_writer;
grant select, insert, update on feeds.webhook_dead_letters to eventstore_writer;  -- a replayed event can die again
