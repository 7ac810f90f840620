-- Which of the gemeenten asked for (a list of GM codes) the working database holds a region or a figure of.
SELECT DISTINCT code FROM (
    SELECT gemeente_code AS code FROM regions WHERE list_contains(?, gemeente_code)
    UNION ALL
    SELECT code FROM observations WHERE level = 'gemeente' AND list_contains(?, code)
) ORDER BY code;
