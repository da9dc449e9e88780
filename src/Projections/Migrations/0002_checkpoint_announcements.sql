-- Readers that must see a write wait until a view's checkpoint passes it; each move of a
-- checkpoint (or change of its status) is announced on a channel, so they wake instead of polling.
-- Notifications with the same payload in one transaction are folded into one.

create function projections.announce_checkpoint() returns trigger language plpgsql as $$
begin
    perform pg_notify('projections_checkpoint', new.projection);
    return null;
end;
$$;

create trigger announce_checkpoint after insert or update on projections.checkpoints
    for each row execute function projections.announce_checkpoint();
