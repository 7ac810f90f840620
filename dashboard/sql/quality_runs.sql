-- What was loaded when, from where (newest first).
SELECT run_id, job, source, sha256, rows_in, rows_out, started, finished, status, message
FROM etl_runs ORDER BY run_id DESC LIMIT 200;
