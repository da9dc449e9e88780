-- The event log: events (per-stream hash chain), commands (idempotency), the global log (the
-- sequencer's gap-free order and its hash chain). All three are append-only.

create table eventstore.events (
    id              bigint generated always as identity primary key, -- insertion order, internal
    event_id        uuid        not null unique,
    stream_id       text        not null,
    stream_type     text        not null,
    version         bigint      not null check (version >= 1),
    event_type      text        not null,
    data            jsonb       not null,
    recorded_at     timestamptz not null,  -- the database's clock inside the appending transaction
    claimed_at      timestamptz,           -- the time the client claims
    actor_id        text,
    actor_role      text,
    actor_verified  boolean,
    institution_id  text,
    command_id      uuid,
    correlation_id  uuid,
    causation_id    uuid,
    client_id       text,
    device_id       text,
    purpose_of_use  text,
    hash_algorithm  text        not null,
    previous_hash   bytea       not null,  -- kept so that each row can be checked on its own
    hash            bytea       not null,
    tx_id           xid8        not null default pg_current_xact_id(),
    constraint events_stream_version unique (stream_id, version)
);

-- The sequencer scans finished transactions by transaction id.
create index events_by_transaction on eventstore.events (tx_id, id);

create table eventstore.commands (
    command_id      uuid   primary key,
    stream_id       text   not null,
    first_version   bigint not null,
    last_version    bigint not null
);

create table eventstore.global_log (
    sequence        bigint      primary key,
    event_row       bigint      not null unique references eventstore.events (id),
    hash_algorithm  text        not null,
    chain_hash      bytea       not null,
    sequenced_at    timestamptz not null default clock_timestamp()
);

create function eventstore.reject_change() returns trigger language plpgsql as $$
begin
    raise exception '% on %.% is not allowed: the event log is append-only; append a correcting event instead',
        tg_op, tg_table_schema, tg_table_name
        using errcode = 'insufficient_privilege';
end;
$$;

-- Statement-level, so that even a statement that matches no row is refused.
create trigger events_append_only before update or delete or truncate on eventstore.events
    for each statement execute function eventstore.reject_change();
create trigger commands_append_only before update or delete or truncate on eventstore.commands
    for each statement execute function eventstore.reject_change();
create trigger global_log_append_only before update or delete or truncate on eventstore.global_log
    for each statement execute function eventstore.reject_change();

-- The application's role may only read and append. Roles are cluster-wide, so another database of
-- the same cluster may have made it already.
do $$
begin
    create role eventstore_writer nologin;
exception when duplicate_object or unique_violation then null;
end;
$$;
grant usage on schema eventstore to eventstore_writer;
grant select, insert on eventstore.events, eventstore.commands, eventstore.global_log to eventstore_writer;
