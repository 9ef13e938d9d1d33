-- H2 hands out DomainEventEntry.globalIndex from a sequence that caches 32 values. Taking the 33rd writes the
-- sequence's new margin with a commit of H2's system session: a full MVStore commit, as costly as the command's
-- own, every fourth command (a command stores ~8 events). The bench's profile of the command thread put ~18 % of
-- its samples there. With 1024 cached values that commit comes every ~128 commands.
-- The price: a process killed mid-run skips at most 1024 indexes (32 before). Axon's tracking tokens record such a
-- gap and drop it after their gap timeout; the views count a system's events by sequence number, not by index.
ALTER TABLE DomainEventEntry ALTER COLUMN globalIndex SET CACHE 1024;
