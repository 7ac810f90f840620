-- Every figure of one indicator at one level over all years: for class breaks that stay fixed across years.
SELECT value FROM observations WHERE indicator_id = $1 AND level = $2 AND value IS NOT NULL;
