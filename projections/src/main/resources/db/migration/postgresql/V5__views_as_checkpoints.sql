-- Views that rebuild fast: checkpoints and folds instead of a row version per change (issue #13,
-- docs/performance.md).
--
-- Before, the "views" projection wrote ~4.3 rows per event (a timeline row and a version of every view row the event
-- changed) at 20-30 µs of H2 CPU each, which capped a rebuild near 9,000 events/s. Now the state at event N is the
-- nearest checkpoint at or before N, resumed, plus the stored events after it folded with the same TimelineCursor;
-- the timeline is rendered from the event store when asked. Tables that only copied what the event store holds, or
-- what that fold gives in a few milliseconds, go: the event log, the steps, and the versions of pdevs, upstream
-- walks, context entries, hardware and findings.

DROP TABLE view_event_log;
DROP TABLE view_steps;
DROP TABLE view_pdevs;
DROP TABLE view_upstream;
DROP TABLE view_contexts;
DROP TABLE view_hardware;
DROP TABLE view_findings;

-- The fold state at the end of a step (TimelineCursor.Checkpoint: the machine's snapshot and the findings with the
-- first event of their runs), taken once at least the checkpoint interval of events passed since the system's
-- previous one; and step_list, the steps that ended since that previous checkpoint (every final step is in exactly
-- one list). finding_runs: the finding runs that started since that previous checkpoint, each its subject and first
-- event, so a read between two checkpoints folds the machine alone and dates the findings at its event from them.
-- steps: how many steps had ended at event_number. The blobs are the store's JSON, deflated.
CREATE TABLE view_checkpoints (
    system_id    VARCHAR(255) NOT NULL,
    event_number BIGINT       NOT NULL,
    steps        INTEGER      NOT NULL,
    state        BYTEA        NOT NULL,
    step_list    BYTEA        NOT NULL,
    finding_runs BYTEA        NOT NULL,
    CONSTRAINT pk_view_checkpoints PRIMARY KEY (system_id, event_number)
);
CREATE INDEX ix_view_checkpoints_steps ON view_checkpoints (system_id, steps);

-- Which systems ever had a finding of a kind, and the first event one held at: a row per system and kind, written
-- when the kind first appears (GET /api/systems?finding=KIND). Runs of findings are not rows: a history has about two
-- a event, nine in ten inside one step (a boot's PDEV_MISSING until the scan allocates each pdev), which is what
-- capped the rebuild; the state at an event gets each finding's since from its fold.
CREATE TABLE view_finding_kinds (
    kind        VARCHAR(32)  NOT NULL,
    system_id   VARCHAR(255) NOT NULL,
    first_event BIGINT       NOT NULL,
    CONSTRAINT pk_view_finding_kinds PRIMARY KEY (kind, system_id)
);

-- view_bus2bridge stays: each bus2bridge entry value with the events it held (valid_from <= N < valid_to), written
-- when an entry changes (~1 row per 25 events), for SQL across systems and the entry's history.

-- A reset of the views in progress: set (and committed) before the view tables are emptied, cleared in the
-- transaction that stores the processor's new tokens. Found set at start-up, the rebuild is done again. This
-- migration sets it when the store holds events, so a store an older build made rebuilds its views on its first
-- start (a new store has nothing to rebuild).
CREATE TABLE view_reset_pending (
    id           INTEGER                  NOT NULL PRIMARY KEY,
    requested_at TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO view_reset_pending (id, requested_at)
SELECT 1, CURRENT_TIMESTAMP FROM DomainEventEntry FETCH FIRST 1 ROWS ONLY;
