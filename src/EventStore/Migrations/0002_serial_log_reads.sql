-- Reading the log in sequence order is a walk of the global log's index with one lookup per event.
-- From a few thousand rows up the planner would split it among parallel workers, processes started
-- for each query whose start-up and merge cost more than they save: a projection rebuild reads
-- 5,000 to 10,000 events a query, and the next batch is read while the last one is applied, so the
-- other core is busy already.
alter table eventstore.global_log set (parallel_workers = 0);
alter table eventstore.events set (parallel_workers = 0);
