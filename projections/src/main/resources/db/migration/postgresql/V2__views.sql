-- PostgreSQL twin of h2/V2__views.sql (same version, same description, same tables, columns, keys and indexes):
-- the temporal tables of the "views" projection. The only differences are types H2 spells differently: CLOB is
-- TEXT here. TIMESTAMP WITH TIME ZONE is timestamptz (an instant; sessions run in UTC, see
-- StoreEnvironmentPostProcessor), BOOLEAN and VARCHAR(n) (n up to 10485760) are the same.
--
-- Event numbers are 1-based per system (SystemCreated is 1). A versioned row is valid for the events
-- valid_from <= N < valid_to (valid_to NULL: still valid), so "the state at event N" is
--   valid_from <= N AND (valid_to IS NULL OR valid_to > N)
-- served by the (system_id, valid_from) indexes, and the history of one entry is a range of the primary key
-- (system_id, <key>, valid_from). A version is never updated except to set its valid_to once.
-- Everything here can be rebuilt from the event store (reset the "views" processor's token).

CREATE TABLE view_systems (
    system_id    VARCHAR(255)             NOT NULL PRIMARY KEY,
    scenario     VARCHAR(80)              NOT NULL,
    description  TEXT,
    policy       VARCHAR(40)              NOT NULL,
    segment      INTEGER                  NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    -- events and steps the projection has processed (the state "now")
    events       BIGINT                   NOT NULL,
    steps        INTEGER                  NOT NULL,
    -- set when the fold could not apply an event: the views of this system stop before it
    failed_event BIGINT,
    failure      VARCHAR(4000)
);

CREATE TABLE view_steps (
    system_id    VARCHAR(255)   NOT NULL,
    step_index   INTEGER        NOT NULL,
    keyword      VARCHAR(40)    NOT NULL,
    step_text    VARCHAR(100000) NOT NULL,
    -- the StepStarted event; first/last event the step produced after it (NULL: none)
    marker_event BIGINT         NOT NULL,
    first_event  BIGINT,
    last_event   BIGINT,
    outcome      VARCHAR(16)    NOT NULL,
    CONSTRAINT pk_view_steps PRIMARY KEY (system_id, step_index)
);

-- Xen's pdev list.
CREATE TABLE view_pdevs (
    system_id     VARCHAR(255) NOT NULL,
    bdf           VARCHAR(12)  NOT NULL,
    valid_from    BIGINT       NOT NULL,
    valid_to      BIGINT,
    rid           INTEGER      NOT NULL,
    dev_type      VARCHAR(20)  NOT NULL,
    domain_id     INTEGER,
    virtfn_of     VARCHAR(12),
    allocated_for VARCHAR(80),
    CONSTRAINT pk_view_pdevs PRIMARY KEY (system_id, bdf, valid_from)
);
CREATE INDEX ix_view_pdevs_at ON view_pdevs (system_id, valid_from);

-- Every bus2bridge entry that is not in its initial state; mapped = FALSE keeps the stale target Xen ignores.
CREATE TABLE view_bus2bridge (
    system_id  VARCHAR(255) NOT NULL,
    bus        INTEGER      NOT NULL,
    valid_from BIGINT       NOT NULL,
    valid_to   BIGINT,
    mapped     BOOLEAN      NOT NULL,
    bridge     VARCHAR(12)  NOT NULL,
    CONSTRAINT pk_view_bus2bridge PRIMARY KEY (system_id, bus, valid_from)
);
CREATE INDEX ix_view_bus2bridge_at ON view_bus2bridge (system_id, valid_from);

-- find_upstream_bridge from every pdev; bridge and secbus only when result = 1.
CREATE TABLE view_upstream (
    system_id  VARCHAR(255) NOT NULL,
    bdf        VARCHAR(12)  NOT NULL,
    valid_from BIGINT       NOT NULL,
    valid_to   BIGINT,
    rid        INTEGER      NOT NULL,
    result     INTEGER      NOT NULL,
    bridge     VARCHAR(12),
    secbus     INTEGER,
    CONSTRAINT pk_view_upstream PRIMARY KEY (system_id, bdf, valid_from)
);
CREATE INDEX ix_view_upstream_at ON view_upstream (system_id, valid_from);

-- VT-d context entries.
CREATE TABLE view_contexts (
    system_id  VARCHAR(255) NOT NULL,
    bdf        VARCHAR(12)  NOT NULL,
    valid_from BIGINT       NOT NULL,
    valid_to   BIGINT,
    rid        INTEGER      NOT NULL,
    domain_id  INTEGER      NOT NULL,
    CONSTRAINT pk_view_contexts PRIMARY KEY (system_id, bdf, valid_from)
);
CREATE INDEX ix_view_contexts_at ON view_contexts (system_id, valid_from);

-- Functions config space reaches; primary/secondary/subordinate for bridges only; a VF's id is pf.vfN.
CREATE TABLE view_hardware (
    system_id   VARCHAR(255) NOT NULL,
    bdf         VARCHAR(12)  NOT NULL,
    valid_from  BIGINT       NOT NULL,
    valid_to    BIGINT,
    rid         INTEGER      NOT NULL,
    function_id VARCHAR(80)  NOT NULL,
    kind        VARCHAR(40)  NOT NULL,
    pri_bus     INTEGER,
    sec_bus     INTEGER,
    sub_bus     INTEGER,
    CONSTRAINT pk_view_hardware PRIMARY KEY (system_id, bdf, valid_from)
);
CREATE INDEX ix_view_hardware_at ON view_hardware (system_id, valid_from);

-- Findings of XEN-MODEL.md section 5, keyed by kind and subject. since is the first event of the finding's
-- current run: equal to valid_from unless the message changed while the finding kept holding.
CREATE TABLE view_findings (
    system_id   VARCHAR(255)  NOT NULL,
    finding_key VARCHAR(80)   NOT NULL,
    valid_from  BIGINT        NOT NULL,
    valid_to    BIGINT,
    kind        VARCHAR(32)   NOT NULL,
    -- the enum's position: the order findings are listed in (then by subject)
    kind_order  INTEGER       NOT NULL,
    bus         INTEGER,
    bdf         VARCHAR(12),
    rid         INTEGER,
    since       BIGINT        NOT NULL,
    message     VARCHAR(4000) NOT NULL,
    CONSTRAINT pk_view_findings PRIMARY KEY (system_id, finding_key, valid_from)
);
CREATE INDEX ix_view_findings_at ON view_findings (system_id, valid_from);

-- The timeline: every event with its step, the one-line text, the outcome under the system's policy, the
-- step's outcome so far and whether Xen is hung after it, and the stored payload as JSON.
CREATE TABLE view_event_log (
    system_id    VARCHAR(255)             NOT NULL,
    event_number BIGINT                   NOT NULL,
    step_index   INTEGER                  NOT NULL,
    event_type   VARCHAR(64)              NOT NULL,
    occurred_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    line         VARCHAR(100000)          NOT NULL,
    outcome      VARCHAR(16)              NOT NULL,
    step_outcome VARCHAR(16),
    hung         BOOLEAN                  NOT NULL,
    payload      TEXT                     NOT NULL,
    CONSTRAINT pk_view_event_log PRIMARY KEY (system_id, event_number)
);
