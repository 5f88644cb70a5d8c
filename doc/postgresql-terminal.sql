-- What the terminals' role may do on a shared tabien database, for
-- psql -v role=NAME -f doc/postgresql-terminal.sql, run by the database's
-- owner once tabien has made the schema (tabien admin init as the owner).
-- The audit trail and its seals: read and append only, so a terminal can
-- neither edit nor remove a row or a seal (the tables' triggers refuse it
-- to the owner too).  Everything else tabien keeps: read and write.
GRANT SELECT ON tabien_schema TO :"role";
GRANT SELECT, INSERT, UPDATE ON branch_settings, users, user_settings, sessions, audit_heads,
	branches, grants TO :"role";
GRANT SELECT, INSERT, UPDATE, DELETE ON branch_config, branch_purposes, juristic_cache TO :"role";
GRANT SELECT, INSERT ON audit, audit_seal TO :"role";
GRANT USAGE ON SEQUENCE audit_seq TO :"role";
