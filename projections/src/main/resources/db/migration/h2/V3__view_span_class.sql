-- Reading the state at event N without scanning the history before N.
--
-- A row version valid at N has valid_from <= N < valid_to. The (system_id, valid_from) indexes of V2 can only
-- bound valid_from, so "the state at N" read every version that started before N: at 100,000 events that is
-- most of a table (the findings table alone gets two versions per event). span_class sorts the closed versions
-- by length: class k holds those with 2^k <= valid_to - valid_from < 2^(k+1), so a closed version of class k
-- valid at N started after N - 2^(k+1), and one index range per class finds it; open versions (valid_to NULL)
-- have no class. Each range reads about as many rows as the state has, so a read costs about the size of the
-- state, whatever N. span_class is computed by the database from valid_from and valid_to (the writer is
-- unchanged), and its index replaces the (system_id, valid_from) one, which only served that read.

ALTER TABLE view_pdevs ADD COLUMN span_class INTEGER GENERATED ALWAYS AS (
        CASE WHEN valid_to IS NULL THEN NULL
        WHEN valid_to - valid_from < 2 THEN 0 WHEN valid_to - valid_from < 4 THEN 1 WHEN valid_to - valid_from < 8 THEN 2 WHEN valid_to - valid_from < 16 THEN 3
        WHEN valid_to - valid_from < 32 THEN 4 WHEN valid_to - valid_from < 64 THEN 5 WHEN valid_to - valid_from < 128 THEN 6 WHEN valid_to - valid_from < 256 THEN 7
        WHEN valid_to - valid_from < 512 THEN 8 WHEN valid_to - valid_from < 1024 THEN 9 WHEN valid_to - valid_from < 2048 THEN 10 WHEN valid_to - valid_from < 4096 THEN 11
        WHEN valid_to - valid_from < 8192 THEN 12 WHEN valid_to - valid_from < 16384 THEN 13 WHEN valid_to - valid_from < 32768 THEN 14 WHEN valid_to - valid_from < 65536 THEN 15
        WHEN valid_to - valid_from < 131072 THEN 16 WHEN valid_to - valid_from < 262144 THEN 17 WHEN valid_to - valid_from < 524288 THEN 18 WHEN valid_to - valid_from < 1048576 THEN 19
        WHEN valid_to - valid_from < 2097152 THEN 20 WHEN valid_to - valid_from < 4194304 THEN 21 WHEN valid_to - valid_from < 8388608 THEN 22 WHEN valid_to - valid_from < 16777216 THEN 23
        WHEN valid_to - valid_from < 33554432 THEN 24 WHEN valid_to - valid_from < 67108864 THEN 25 WHEN valid_to - valid_from < 134217728 THEN 26 WHEN valid_to - valid_from < 268435456 THEN 27
        WHEN valid_to - valid_from < 536870912 THEN 28 WHEN valid_to - valid_from < 1073741824 THEN 29 WHEN valid_to - valid_from < 2147483648 THEN 30 WHEN valid_to - valid_from < 4294967296 THEN 31
        WHEN valid_to - valid_from < 8589934592 THEN 32 WHEN valid_to - valid_from < 17179869184 THEN 33 WHEN valid_to - valid_from < 34359738368 THEN 34 WHEN valid_to - valid_from < 68719476736 THEN 35
        WHEN valid_to - valid_from < 137438953472 THEN 36 WHEN valid_to - valid_from < 274877906944 THEN 37 WHEN valid_to - valid_from < 549755813888 THEN 38 WHEN valid_to - valid_from < 1099511627776 THEN 39
        ELSE 40 END);
CREATE INDEX ix_view_pdevs_span ON view_pdevs (system_id, span_class, valid_from);
DROP INDEX ix_view_pdevs_at;

ALTER TABLE view_bus2bridge ADD COLUMN span_class INTEGER GENERATED ALWAYS AS (
        CASE WHEN valid_to IS NULL THEN NULL
        WHEN valid_to - valid_from < 2 THEN 0 WHEN valid_to - valid_from < 4 THEN 1 WHEN valid_to - valid_from < 8 THEN 2 WHEN valid_to - valid_from < 16 THEN 3
        WHEN valid_to - valid_from < 32 THEN 4 WHEN valid_to - valid_from < 64 THEN 5 WHEN valid_to - valid_from < 128 THEN 6 WHEN valid_to - valid_from < 256 THEN 7
        WHEN valid_to - valid_from < 512 THEN 8 WHEN valid_to - valid_from < 1024 THEN 9 WHEN valid_to - valid_from < 2048 THEN 10 WHEN valid_to - valid_from < 4096 THEN 11
        WHEN valid_to - valid_from < 8192 THEN 12 WHEN valid_to - valid_from < 16384 THEN 13 WHEN valid_to - valid_from < 32768 THEN 14 WHEN valid_to - valid_from < 65536 THEN 15
        WHEN valid_to - valid_from < 131072 THEN 16 WHEN valid_to - valid_from < 262144 THEN 17 WHEN valid_to - valid_from < 524288 THEN 18 WHEN valid_to - valid_from < 1048576 THEN 19
        WHEN valid_to - valid_from < 2097152 THEN 20 WHEN valid_to - valid_from < 4194304 THEN 21 WHEN valid_to - valid_from < 8388608 THEN 22 WHEN valid_to - valid_from < 16777216 THEN 23
        WHEN valid_to - valid_from < 33554432 THEN 24 WHEN valid_to - valid_from < 67108864 THEN 25 WHEN valid_to - valid_from < 134217728 THEN 26 WHEN valid_to - valid_from < 268435456 THEN 27
        WHEN valid_to - valid_from < 536870912 THEN 28 WHEN valid_to - valid_from < 1073741824 THEN 29 WHEN valid_to - valid_from < 2147483648 THEN 30 WHEN valid_to - valid_from < 4294967296 THEN 31
        WHEN valid_to - valid_from < 8589934592 THEN 32 WHEN valid_to - valid_from < 17179869184 THEN 33 WHEN valid_to - valid_from < 34359738368 THEN 34 WHEN valid_to - valid_from < 68719476736 THEN 35
        WHEN valid_to - valid_from < 137438953472 THEN 36 WHEN valid_to - valid_from < 274877906944 THEN 37 WHEN valid_to - valid_from < 549755813888 THEN 38 WHEN valid_to - valid_from < 1099511627776 THEN 39
        ELSE 40 END);
CREATE INDEX ix_view_bus2bridge_span ON view_bus2bridge (system_id, span_class, valid_from);
DROP INDEX ix_view_bus2bridge_at;

ALTER TABLE view_upstream ADD COLUMN span_class INTEGER GENERATED ALWAYS AS (
        CASE WHEN valid_to IS NULL THEN NULL
        WHEN valid_to - valid_from < 2 THEN 0 WHEN valid_to - valid_from < 4 THEN 1 WHEN valid_to - valid_from < 8 THEN 2 WHEN valid_to - valid_from < 16 THEN 3
        WHEN valid_to - valid_from < 32 THEN 4 WHEN valid_to - valid_from < 64 THEN 5 WHEN valid_to - valid_from < 128 THEN 6 WHEN valid_to - valid_from < 256 THEN 7
        WHEN valid_to - valid_from < 512 THEN 8 WHEN valid_to - valid_from < 1024 THEN 9 WHEN valid_to - valid_from < 2048 THEN 10 WHEN valid_to - valid_from < 4096 THEN 11
        WHEN valid_to - valid_from < 8192 THEN 12 WHEN valid_to - valid_from < 16384 THEN 13 WHEN valid_to - valid_from < 32768 THEN 14 WHEN valid_to - valid_from < 65536 THEN 15
        WHEN valid_to - valid_from < 131072 THEN 16 WHEN valid_to - valid_from < 262144 THEN 17 WHEN valid_to - valid_from < 524288 THEN 18 WHEN valid_to - valid_from < 1048576 THEN 19
        WHEN valid_to - valid_from < 2097152 THEN 20 WHEN valid_to - valid_from < 4194304 THEN 21 WHEN valid_to - valid_from < 8388608 THEN 22 WHEN valid_to - valid_from < 16777216 THEN 23
        WHEN valid_to - valid_from < 33554432 THEN 24 WHEN valid_to - valid_from < 67108864 THEN 25 WHEN valid_to - valid_from < 134217728 THEN 26 WHEN valid_to - valid_from < 268435456 THEN 27
        WHEN valid_to - valid_from < 536870912 THEN 28 WHEN valid_to - valid_from < 1073741824 THEN 29 WHEN valid_to - valid_from < 2147483648 THEN 30 WHEN valid_to - valid_from < 4294967296 THEN 31
        WHEN valid_to - valid_from < 8589934592 THEN 32 WHEN valid_to - valid_from < 17179869184 THEN 33 WHEN valid_to - valid_from < 34359738368 THEN 34 WHEN valid_to - valid_from < 68719476736 THEN 35
        WHEN valid_to - valid_from < 137438953472 THEN 36 WHEN valid_to - valid_from < 274877906944 THEN 37 WHEN valid_to - valid_from < 549755813888 THEN 38 WHEN valid_to - valid_from < 1099511627776 THEN 39
        ELSE 40 END);
CREATE INDEX ix_view_upstream_span ON view_upstream (system_id, span_class, valid_from);
DROP INDEX ix_view_upstream_at;

ALTER TABLE view_contexts ADD COLUMN span_class INTEGER GENERATED ALWAYS AS (
        CASE WHEN valid_to IS NULL THEN NULL
        WHEN valid_to - valid_from < 2 THEN 0 WHEN valid_to - valid_from < 4 THEN 1 WHEN valid_to - valid_from < 8 THEN 2 WHEN valid_to - valid_from < 16 THEN 3
        WHEN valid_to - valid_from < 32 THEN 4 WHEN valid_to - valid_from < 64 THEN 5 WHEN valid_to - valid_from < 128 THEN 6 WHEN valid_to - valid_from < 256 THEN 7
        WHEN valid_to - valid_from < 512 THEN 8 WHEN valid_to - valid_from < 1024 THEN 9 WHEN valid_to - valid_from < 2048 THEN 10 WHEN valid_to - valid_from < 4096 THEN 11
        WHEN valid_to - valid_from < 8192 THEN 12 WHEN valid_to - valid_from < 16384 THEN 13 WHEN valid_to - valid_from < 32768 THEN 14 WHEN valid_to - valid_from < 65536 THEN 15
        WHEN valid_to - valid_from < 131072 THEN 16 WHEN valid_to - valid_from < 262144 THEN 17 WHEN valid_to - valid_from < 524288 THEN 18 WHEN valid_to - valid_from < 1048576 THEN 19
        WHEN valid_to - valid_from < 2097152 THEN 20 WHEN valid_to - valid_from < 4194304 THEN 21 WHEN valid_to - valid_from < 8388608 THEN 22 WHEN valid_to - valid_from < 16777216 THEN 23
        WHEN valid_to - valid_from < 33554432 THEN 24 WHEN valid_to - valid_from < 67108864 THEN 25 WHEN valid_to - valid_from < 134217728 THEN 26 WHEN valid_to - valid_from < 268435456 THEN 27
        WHEN valid_to - valid_from < 536870912 THEN 28 WHEN valid_to - valid_from < 1073741824 THEN 29 WHEN valid_to - valid_from < 2147483648 THEN 30 WHEN valid_to - valid_from < 4294967296 THEN 31
        WHEN valid_to - valid_from < 8589934592 THEN 32 WHEN valid_to - valid_from < 17179869184 THEN 33 WHEN valid_to - valid_from < 34359738368 THEN 34 WHEN valid_to - valid_from < 68719476736 THEN 35
        WHEN valid_to - valid_from < 137438953472 THEN 36 WHEN valid_to - valid_from < 274877906944 THEN 37 WHEN valid_to - valid_from < 549755813888 THEN 38 WHEN valid_to - valid_from < 1099511627776 THEN 39
        ELSE 40 END);
CREATE INDEX ix_view_contexts_span ON view_contexts (system_id, span_class, valid_from);
DROP INDEX ix_view_contexts_at;

ALTER TABLE view_hardware ADD COLUMN span_class INTEGER GENERATED ALWAYS AS (
        CASE WHEN valid_to IS NULL THEN NULL
        WHEN valid_to - valid_from < 2 THEN 0 WHEN valid_to - valid_from < 4 THEN 1 WHEN valid_to - valid_from < 8 THEN 2 WHEN valid_to - valid_from < 16 THEN 3
        WHEN valid_to - valid_from < 32 THEN 4 WHEN valid_to - valid_from < 64 THEN 5 WHEN valid_to - valid_from < 128 THEN 6 WHEN valid_to - valid_from < 256 THEN 7
        WHEN valid_to - valid_from < 512 THEN 8 WHEN valid_to - valid_from < 1024 THEN 9 WHEN valid_to - valid_from < 2048 THEN 10 WHEN valid_to - valid_from < 4096 THEN 11
        WHEN valid_to - valid_from < 8192 THEN 12 WHEN valid_to - valid_from < 16384 THEN 13 WHEN valid_to - valid_from < 32768 THEN 14 WHEN valid_to - valid_from < 65536 THEN 15
        WHEN valid_to - valid_from < 131072 THEN 16 WHEN valid_to - valid_from < 262144 THEN 17 WHEN valid_to - valid_from < 524288 THEN 18 WHEN valid_to - valid_from < 1048576 THEN 19
        WHEN valid_to - valid_from < 2097152 THEN 20 WHEN valid_to - valid_from < 4194304 THEN 21 WHEN valid_to - valid_from < 8388608 THEN 22 WHEN valid_to - valid_from < 16777216 THEN 23
        WHEN valid_to - valid_from < 33554432 THEN 24 WHEN valid_to - valid_from < 67108864 THEN 25 WHEN valid_to - valid_from < 134217728 THEN 26 WHEN valid_to - valid_from < 268435456 THEN 27
        WHEN valid_to - valid_from < 536870912 THEN 28 WHEN valid_to - valid_from < 1073741824 THEN 29 WHEN valid_to - valid_from < 2147483648 THEN 30 WHEN valid_to - valid_from < 4294967296 THEN 31
        WHEN valid_to - valid_from < 8589934592 THEN 32 WHEN valid_to - valid_from < 17179869184 THEN 33 WHEN valid_to - valid_from < 34359738368 THEN 34 WHEN valid_to - valid_from < 68719476736 THEN 35
        WHEN valid_to - valid_from < 137438953472 THEN 36 WHEN valid_to - valid_from < 274877906944 THEN 37 WHEN valid_to - valid_from < 549755813888 THEN 38 WHEN valid_to - valid_from < 1099511627776 THEN 39
        ELSE 40 END);
CREATE INDEX ix_view_hardware_span ON view_hardware (system_id, span_class, valid_from);
DROP INDEX ix_view_hardware_at;

ALTER TABLE view_findings ADD COLUMN span_class INTEGER GENERATED ALWAYS AS (
        CASE WHEN valid_to IS NULL THEN NULL
        WHEN valid_to - valid_from < 2 THEN 0 WHEN valid_to - valid_from < 4 THEN 1 WHEN valid_to - valid_from < 8 THEN 2 WHEN valid_to - valid_from < 16 THEN 3
        WHEN valid_to - valid_from < 32 THEN 4 WHEN valid_to - valid_from < 64 THEN 5 WHEN valid_to - valid_from < 128 THEN 6 WHEN valid_to - valid_from < 256 THEN 7
        WHEN valid_to - valid_from < 512 THEN 8 WHEN valid_to - valid_from < 1024 THEN 9 WHEN valid_to - valid_from < 2048 THEN 10 WHEN valid_to - valid_from < 4096 THEN 11
        WHEN valid_to - valid_from < 8192 THEN 12 WHEN valid_to - valid_from < 16384 THEN 13 WHEN valid_to - valid_from < 32768 THEN 14 WHEN valid_to - valid_from < 65536 THEN 15
        WHEN valid_to - valid_from < 131072 THEN 16 WHEN valid_to - valid_from < 262144 THEN 17 WHEN valid_to - valid_from < 524288 THEN 18 WHEN valid_to - valid_from < 1048576 THEN 19
        WHEN valid_to - valid_from < 2097152 THEN 20 WHEN valid_to - valid_from < 4194304 THEN 21 WHEN valid_to - valid_from < 8388608 THEN 22 WHEN valid_to - valid_from < 16777216 THEN 23
        WHEN valid_to - valid_from < 33554432 THEN 24 WHEN valid_to - valid_from < 67108864 THEN 25 WHEN valid_to - valid_from < 134217728 THEN 26 WHEN valid_to - valid_from < 268435456 THEN 27
        WHEN valid_to - valid_from < 536870912 THEN 28 WHEN valid_to - valid_from < 1073741824 THEN 29 WHEN valid_to - valid_from < 2147483648 THEN 30 WHEN valid_to - valid_from < 4294967296 THEN 31
        WHEN valid_to - valid_from < 8589934592 THEN 32 WHEN valid_to - valid_from < 17179869184 THEN 33 WHEN valid_to - valid_from < 34359738368 THEN 34 WHEN valid_to - valid_from < 68719476736 THEN 35
        WHEN valid_to - valid_from < 137438953472 THEN 36 WHEN valid_to - valid_from < 274877906944 THEN 37 WHEN valid_to - valid_from < 549755813888 THEN 38 WHEN valid_to - valid_from < 1099511627776 THEN 39
        ELSE 40 END);
CREATE INDEX ix_view_findings_span ON view_findings (system_id, span_class, valid_from);
DROP INDEX ix_view_findings_at;

-- The timeline's payload column is a CLOB, and H2 keeps a CLOB over 256 bytes out of the row, in its LOB store:
-- three more map writes per event and most of the view writer's garbage (an event's JSON is 300-600 bytes).
-- Up to 4 KiB now stays in the row. Database-wide and persistent; LOBs already stored are left where they are.
SET MAX_LENGTH_INPLACE_LOB 4096;
