-- SQLite's twin declares its flags INTEGER (0 or 1) here, for the engine-neutral driver;
-- PostgreSQL's flags are BOOLEAN from the start and stay so. Nothing to change.
SELECT 1;
