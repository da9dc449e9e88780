-- Moves a view's checkpoint from where its writer last saw it, in the writer's transaction, after
-- the view's rows: the row lock it takes orders this view's writers (another process, a rebuild's
-- swap), and if the checkpoint has moved meanwhile the transaction must not commit, so the view's
-- rows of that batch go with it. The writer then reads the checkpoint again and goes on from there.

create function projections.advance(view_name text, from_position bigint, to_position bigint) returns void
language plpgsql as $$
begin
    update projections.checkpoints set position = to_position, updated_at = clock_timestamp()
    where projection = view_name and position = from_position;
    if not found then
        raise exception 'view % is no longer at position %: another writer moved its checkpoint', view_name, from_position
            using errcode = 'serialization_failure';
    end if;
end;
$$;

grant execute on function projections.advance(text, bigint, bigint) to eventstore_writer;
