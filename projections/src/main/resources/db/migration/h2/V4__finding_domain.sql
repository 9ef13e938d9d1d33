-- DOMAIN_CRASHED (XEN-MODEL.md §4b) is about a domain: its subject gets a column next to bus and bdf.
ALTER TABLE view_findings ADD COLUMN domain_id INTEGER;
