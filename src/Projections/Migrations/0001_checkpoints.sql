-- Where each view stands. Views live in schemas of their own, created by the runner, which the
-- application's role owns; it may create schemas in this database for that (and for rebuilds).

create table projections.checkpoints (
    projection       text        primary key,
    position         bigint      not null default 0,  -- the last global sequence number applied
    version          integer     not null,            -- the projection's table layout version
    status           text        not null default 'running' check (status in ('running', 'failed', 'inline')),
    failed_sequence  bigint,
    failed_event_id  uuid,
    error            text,
    updated_at       timestamptz not null default clock_timestamp()
);

grant usage on schema projections to eventstore_writer;
grant select, insert, update on projections.checkpoints to eventstore_writer;
do $$
begin
    execute format('grant create on database %I to eventstore_writer', current_database());
end;
$$;
