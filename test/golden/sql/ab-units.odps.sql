WITH rv_src AS (
  SELECT
    COALESCE(CAST(`variant` AS STRING), '') AS rv_arm,
    COALESCE(CAST(`user_id` AS STRING), '') AS rv_unit,
    CAST(`clicks` AS DOUBLE) AS rv_raw1,
    CAST(`impressions` AS DOUBLE) AS rv_raw2,
    CAST(`cost` AS DOUBLE) AS rv_raw3,
    CAST(`pre_clicks` AS DOUBLE) AS rv_rawz1
  FROM ads.events
  WHERE (dt BETWEEN '2024-05-01' AND '2024-05-07')
),
rv_rows AS (
  SELECT
    rv_arm,
    rv_unit,
    CASE WHEN (rv_raw1 - rv_raw1 = 0e0) THEN rv_raw1 ELSE 0e0 END AS rv_c1,
    CASE WHEN (rv_raw2 - rv_raw2 = 0e0) THEN rv_raw2 ELSE 0e0 END AS rv_c2,
    CASE WHEN (rv_raw3 - rv_raw3 = 0e0) THEN rv_raw3 ELSE 0e0 END AS rv_c3,
    CASE WHEN (rv_rawz1 - rv_rawz1 = 0e0) THEN rv_rawz1 ELSE 0e0 END AS rv_z1,
    CASE
      WHEN rv_arm = '' THEN 10
      WHEN rv_unit = '' THEN 9
      WHEN NOT COALESCE((rv_raw1 - rv_raw1 = 0e0), FALSE) THEN 8
      WHEN NOT COALESCE((rv_raw2 - rv_raw2 = 0e0), FALSE) THEN 7
      WHEN NOT COALESCE((rv_raw3 - rv_raw3 = 0e0), FALSE) THEN 6
      WHEN NOT COALESCE((rv_rawz1 - rv_rawz1 = 0e0), FALSE) THEN 5
      WHEN COALESCE((rv_raw1 - rv_raw1 = 0e0), FALSE) AND rv_raw1 < 0e0 THEN 4
      WHEN COALESCE((rv_raw2 - rv_raw2 = 0e0), FALSE) AND rv_raw2 < 0e0 THEN 3
      WHEN COALESCE((rv_raw3 - rv_raw3 = 0e0), FALSE) AND rv_raw3 < 0e0 THEN 2
      ELSE 0
    END AS rv_rbad
  FROM rv_src
),
rv_units AS (
  SELECT
    rv_arm,
    rv_unit,
    SUM(rv_c1) AS rv_c1,
    SUM(rv_c2) AS rv_c2,
    SUM(rv_c3) AS rv_c3,
    MIN(rv_z1) AS rv_z1,
    MAX(rv_z1) AS rv_zx1,
    MAX(rv_rbad) AS rv_rbad
  FROM rv_rows
  GROUP BY rv_arm, rv_unit
),
rv_vals AS (
  SELECT
    rv_arm,
    rv_c1 AS rv_y1,
    rv_c2 AS rv_x1,
    rv_z1 AS rv_w1,
    1e3 * LEAST(rv_c3, 5e2) AS rv_y2,
    rv_c2 AS rv_x2,
    LEAST(rv_c3, 5e2) AS rv_y3,
    CASE
      WHEN rv_rbad > 0 THEN rv_rbad
      WHEN rv_z1 <> rv_zx1 THEN 1
      ELSE 0
    END AS rv_bad
  FROM rv_units
),
rv_agg AS (
  SELECT
    rv_arm,
    COUNT(*) AS rv_units,
    SUM(rv_y1) AS rv_sy1,
    SUM(rv_y1 * rv_y1) AS rv_syy1,
    SUM(rv_x1) AS rv_sx1,
    SUM(rv_x1 * rv_x1) AS rv_sxx1,
    SUM(rv_x1 * rv_y1) AS rv_sxy1,
    SUM(rv_w1) AS rv_sz1,
    SUM(rv_w1 * rv_w1) AS rv_szz1,
    SUM(rv_y1 * rv_w1) AS rv_syz1,
    SUM(rv_x1 * rv_w1) AS rv_sxz1,
    SUM(rv_y2) AS rv_sy2,
    SUM(rv_y2 * rv_y2) AS rv_syy2,
    SUM(rv_x2) AS rv_sx2,
    SUM(rv_x2 * rv_x2) AS rv_sxx2,
    SUM(rv_x2 * rv_y2) AS rv_sxy2,
    SUM(rv_y3) AS rv_sy3,
    SUM(rv_y3 * rv_y3) AS rv_syy3,
    MAX(rv_bad) AS rv_bad
  FROM rv_vals
  GROUP BY rv_arm
)
SELECT
  CASE rv_m WHEN 1 THEN 'ctr' WHEN 2 THEN 'cpm' WHEN 3 THEN 'cost_per_user' END AS `metric`,
  rv_arm AS `arm`,
  CAST(rv_units AS BIGINT) AS `units`,
  CAST(CASE rv_m WHEN 1 THEN rv_sy1 WHEN 2 THEN rv_sy2 WHEN 3 THEN rv_sy3 END AS DOUBLE) AS `num_sum`,
  CAST(CASE rv_m WHEN 1 THEN rv_syy1 WHEN 2 THEN rv_syy2 WHEN 3 THEN rv_syy3 END AS DOUBLE) AS `num_sum_sq`,
  CAST(CASE rv_m WHEN 1 THEN rv_sx1 WHEN 2 THEN rv_sx2 WHEN 3 THEN CAST(rv_units AS DOUBLE) END AS DOUBLE) AS `den_sum`,
  CAST(CASE rv_m WHEN 1 THEN rv_sxx1 WHEN 2 THEN rv_sxx2 WHEN 3 THEN CAST(rv_units AS DOUBLE) END AS DOUBLE) AS `den_sum_sq`,
  CAST(CASE rv_m WHEN 1 THEN rv_sxy1 WHEN 2 THEN rv_sxy2 WHEN 3 THEN rv_sy3 END AS DOUBLE) AS `num_den_sum`,
  CAST(CASE rv_m WHEN 1 THEN rv_sz1 WHEN 2 THEN 0e0 WHEN 3 THEN 0e0 END AS DOUBLE) AS `cov_sum`,
  CAST(CASE rv_m WHEN 1 THEN rv_szz1 WHEN 2 THEN 0e0 WHEN 3 THEN 0e0 END AS DOUBLE) AS `cov_sum_sq`,
  CAST(CASE rv_m WHEN 1 THEN rv_syz1 WHEN 2 THEN 0e0 WHEN 3 THEN 0e0 END AS DOUBLE) AS `num_cov_sum`,
  CAST(CASE rv_m WHEN 1 THEN rv_sxz1 WHEN 2 THEN 0e0 WHEN 3 THEN 0e0 END AS DOUBLE) AS `den_cov_sum`,
  CASE rv_bad
    WHEN 10 THEN 'error: rows with an empty arm (column "variant" NULL or empty): fill them in or filter them out'
    WHEN 9 THEN 'error: rows with an empty unit (column "user_id" NULL or empty): fill them in or filter them out'
    WHEN 8 THEN 'error: column "clicks" has NULL, NaN, infinite or non-numeric values: fill them in or filter them out'
    WHEN 7 THEN 'error: column "impressions" has NULL, NaN, infinite or non-numeric values: fill them in or filter them out'
    WHEN 6 THEN 'error: column "cost" has NULL, NaN, infinite or non-numeric values: fill them in or filter them out'
    WHEN 5 THEN 'error: column "pre_clicks" has NULL, NaN, infinite or non-numeric values: fill them in or filter them out'
    WHEN 4 THEN 'error: column "clicks" has negative values, but it is a count or amount in a ratio metric and must be >= 0'
    WHEN 3 THEN 'error: column "impressions" has negative values, but it is a count or amount in a ratio metric and must be >= 0'
    WHEN 2 THEN 'error: column "cost" has negative values, but it is a count or amount in a ratio metric and must be >= 0'
    WHEN 1 THEN 'error: covariate column "pre_clicks" differs between the rows of one unit, but a covariate is one pre-period value per unit, repeated on each of its rows'
    ELSE 'ab/1'
  END AS `schema`
FROM rv_agg LATERAL VIEW explode(array(1, 2, 3)) rv_m_list AS rv_m
