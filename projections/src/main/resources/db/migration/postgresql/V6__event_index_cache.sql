-- The H2 store's V6 widens the cache of DomainEventEntry.globalIndex's sequence (there, each refill of the cache is
-- a durable commit of its own). PostgreSQL's nextval writes no commit of its own and a per-session sequence cache
-- would interleave the nodes' indexes, so nothing changes here; this file keeps both folders at the same version.
SELECT 1;
