WITH rv_src AS (
  SELECT
    COALESCE(CAST(`arm` AS STRING), '') AS rv_arm,
    CAST(`revenue` AS DOUBLE) AS rv_raw1
  FROM ads.users
),
rv_rows AS (
  SELECT
    rv_arm,
    CASE WHEN (rv_raw1 - rv_raw1 = 0e0) THEN rv_raw1 ELSE 0e0 END AS rv_c1,
    CASE
      WHEN rv_arm = '' THEN 2
      WHEN NOT COALESCE((rv_raw1 - rv_raw1 = 0e0), FALSE) THEN 1
      ELSE 0
    END AS rv_rbad
  FROM rv_src
),
rv_vals AS (
  SELECT
    rv_arm,
    rv_c1 AS rv_y1,
    rv_rbad AS rv_bad
  FROM rv_rows
),
rv_agg AS (
  SELECT
    rv_arm,
    COUNT(*) AS rv_units,
    SUM(rv_y1) AS rv_sy1,
    SUM(rv_y1 * rv_y1) AS rv_syy1,
    MAX(rv_bad) AS rv_bad
  FROM rv_vals
  GROUP BY rv_arm
)
SELECT
  CASE rv_m WHEN 1 THEN 'rpu' END AS `metric`,
  rv_arm AS `arm`,
  CAST(rv_units AS BIGINT) AS `units`,
  CAST(CASE rv_m WHEN 1 THEN rv_sy1 END AS DOUBLE) AS `num_sum`,
  CAST(CASE rv_m WHEN 1 THEN rv_syy1 END AS DOUBLE) AS `num_sum_sq`,
  CAST(CASE rv_m WHEN 1 THEN CAST(rv_units AS DOUBLE) END AS DOUBLE) AS `den_sum`,
  CAST(CASE rv_m WHEN 1 THEN CAST(rv_units AS DOUBLE) END AS DOUBLE) AS `den_sum_sq`,
  CAST(CASE rv_m WHEN 1 THEN rv_sy1 END AS DOUBLE) AS `num_den_sum`,
  CASE rv_bad
    WHEN 2 THEN 'error: rows with an empty arm (column "arm" NULL or empty): fill them in or filter them out'
    WHEN 1 THEN 'error: column "revenue" has NULL, NaN, infinite or non-numeric values: fill them in or filter them out'
    ELSE 'ab/1'
  END AS `schema`
FROM rv_agg LATERAL VIEW explode(array(1)) rv_m_list AS rv_m
