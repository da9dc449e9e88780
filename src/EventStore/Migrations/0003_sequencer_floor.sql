-- The sequencer numbers an event as soon as its transaction has committed, so a transaction with a
-- lower id that commits later is numbered after events with higher ids. Where to look again after a
-- restart is then not the last numbered event's transaction: each batch records the transaction id
-- below which every committed event had been numbered when it was written (its snapshot's xmin).
-- Rows numbered before this column were numbered in transaction order: their own tx_id is that floor.
alter table eventstore.global_log add column transaction_floor xid8;
-- A sequencer of an earlier version would look from its last event's own transaction and could skip an
-- older one that committed later: from now on every batch must record its floor, so such a sequencer
-- fails at its first batch instead (the earlier rows are not checked).
alter table eventstore.global_log add constraint global_log_floor_recorded check (transaction_floor is not null) not valid;
