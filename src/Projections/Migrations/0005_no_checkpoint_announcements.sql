-- Every move of a checkpoint was announced on a channel (0002): a notifying commit for each batch of
-- each view, and a wake-up of every listening backend. The runner now tells its own process's waiters
-- where its views stand (ProjectionRunner.WaitForAsync), so nothing listens any more.

drop trigger announce_checkpoint on projections.checkpoints;
drop function projections.announce_checkpoint();
