WITH rv_src AS (
  SELECT
    COALESCE(CAST(`arm` AS STRING), '') AS rv_arm,
    COALESCE(CAST(`dt` AS STRING), '') AS rv_day,
    CAST(`cost` AS DOUBLE) AS rv_raw1,
    CAST(`impressions` AS DOUBLE) AS rv_raw2
  FROM ads.daily
),
rv_rows AS (
  SELECT
    rv_arm,
    rv_day,
    CASE WHEN (rv_raw1 - rv_raw1 = 0e0) THEN rv_raw1 ELSE 0e0 END AS rv_c1,
    CASE WHEN (rv_raw2 - rv_raw2 = 0e0) THEN rv_raw2 ELSE 0e0 END AS rv_c2,
    CASE
      WHEN rv_arm = '' THEN 6
      WHEN rv_day = '' THEN 5
      WHEN NOT COALESCE((rv_raw1 - rv_raw1 = 0e0), FALSE) THEN 4
      WHEN NOT COALESCE((rv_raw2 - rv_raw2 = 0e0), FALSE) THEN 3
      WHEN COALESCE((rv_raw1 - rv_raw1 = 0e0), FALSE) AND rv_raw1 < 0e0 THEN 2
      WHEN COALESCE((rv_raw2 - rv_raw2 = 0e0), FALSE) AND rv_raw2 < 0e0 THEN 1
      ELSE 0
    END AS rv_rbad
  FROM rv_src
),
rv_keys AS (
  SELECT
    rv_arm,
    rv_day
  FROM rv_rows
  GROUP BY rv_arm, rv_day
),
rv_days AS (
  SELECT
    rv_day,
    CASE WHEN rv_day RLIKE '^ *[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)? *$' THEN CAST(TRIM(rv_day) AS DOUBLE) END AS rv_dnum,
    1 AS rv_one
  FROM rv_keys
  GROUP BY rv_day
),
rv_dall AS (
  SELECT
    rv_day,
    rv_dnum,
    rv_one,
    MIN(CASE WHEN rv_dnum IS NULL THEN 0 ELSE 1 END) OVER (PARTITION BY rv_one) AS rv_allnum
  FROM rv_days
),
rv_rank AS (
  SELECT
    rv_day,
    rv_one,
    ROW_NUMBER() OVER (PARTITION BY rv_one ORDER BY CASE WHEN rv_allnum = 1 THEN rv_dnum ELSE 0e0 END, rv_day) AS rv_r
  FROM rv_dall
),
rv_arms AS (
  SELECT
    rv_arm,
    1 AS rv_one
  FROM rv_keys
  GROUP BY rv_arm
),
rv_grid AS (
  SELECT
    a.rv_arm,
    k.rv_day,
    k.rv_r
  FROM rv_arms a
  JOIN rv_rank k ON a.rv_one = k.rv_one
),
rv_udr AS (
  SELECT
    r.rv_arm,
    k.rv_r,
    r.rv_c1,
    r.rv_c2,
    r.rv_rbad
  FROM rv_rows r
  JOIN rv_rank k ON r.rv_day = k.rv_day
),
rv_vals AS (
  SELECT
    rv_arm,
    rv_r,
    1e3 * rv_c1 AS rv_y1,
    rv_c2 AS rv_x1,
    rv_rbad AS rv_bad
  FROM rv_udr
),
rv_dagg AS (
  SELECT
    rv_arm,
    rv_r,
    COUNT(*) AS rv_dunits,
    SUM(rv_y1) AS rv_dsy1,
    SUM(rv_y1 * rv_y1) AS rv_dsyy1,
    SUM(rv_x1) AS rv_dsx1,
    SUM(rv_x1 * rv_x1) AS rv_dsxx1,
    SUM(rv_x1 * rv_y1) AS rv_dsxy1,
    MAX(rv_bad) AS rv_bad
  FROM rv_vals
  GROUP BY rv_arm, rv_r
),
rv_cum AS (
  SELECT
    g.rv_arm,
    g.rv_day,
    a.rv_dunits,
    a.rv_dsy1,
    a.rv_dsyy1,
    a.rv_dsx1,
    a.rv_dsxx1,
    a.rv_dsxy1,
    a.rv_bad AS rv_dbad,
    SUM(COALESCE(a.rv_dunits, 0)) OVER (PARTITION BY g.rv_arm ORDER BY g.rv_r ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rv_cunits,
    SUM(COALESCE(a.rv_dsy1, 0e0)) OVER (PARTITION BY g.rv_arm ORDER BY g.rv_r ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rv_c_sy1,
    SUM(COALESCE(a.rv_dsyy1, 0e0)) OVER (PARTITION BY g.rv_arm ORDER BY g.rv_r ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rv_c_syy1,
    SUM(COALESCE(a.rv_dsx1, 0e0)) OVER (PARTITION BY g.rv_arm ORDER BY g.rv_r ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rv_c_sx1,
    SUM(COALESCE(a.rv_dsxx1, 0e0)) OVER (PARTITION BY g.rv_arm ORDER BY g.rv_r ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rv_c_sxx1,
    SUM(COALESCE(a.rv_dsxy1, 0e0)) OVER (PARTITION BY g.rv_arm ORDER BY g.rv_r ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rv_c_sxy1,
    MAX(COALESCE(a.rv_bad, 0)) OVER (PARTITION BY g.rv_arm ORDER BY g.rv_r ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rv_cbad
  FROM rv_grid g
  LEFT JOIN rv_dagg a ON g.rv_arm = a.rv_arm AND g.rv_r = a.rv_r
),
rv_both AS (
  SELECT
    rv_arm,
    rv_day,
    rv_t,
    CASE WHEN rv_t = 1 THEN rv_cunits ELSE rv_dunits END AS rv_units,
    CASE WHEN rv_t = 1 THEN rv_c_sy1 ELSE rv_dsy1 END AS rv_sy1,
    CASE WHEN rv_t = 1 THEN rv_c_syy1 ELSE rv_dsyy1 END AS rv_syy1,
    CASE WHEN rv_t = 1 THEN rv_c_sx1 ELSE rv_dsx1 END AS rv_sx1,
    CASE WHEN rv_t = 1 THEN rv_c_sxx1 ELSE rv_dsxx1 END AS rv_sxx1,
    CASE WHEN rv_t = 1 THEN rv_c_sxy1 ELSE rv_dsxy1 END AS rv_sxy1,
    CASE WHEN rv_t = 1 THEN rv_cbad ELSE rv_dbad END AS rv_bad
  FROM rv_cum LATERAL VIEW explode(array(0, 1)) rv_t_list AS rv_t
  WHERE (rv_t = 0 AND rv_dunits > 0) OR (rv_t = 1 AND rv_cunits > 0)
)
SELECT
  CASE rv_m WHEN 1 THEN 'cpm' END AS `metric`,
  rv_arm AS `arm`,
  rv_day AS `day`,
  CAST(rv_t AS BIGINT) AS `cumulative`,
  CAST(rv_units AS BIGINT) AS `units`,
  CAST(CASE rv_m WHEN 1 THEN rv_sy1 END AS DOUBLE) AS `num_sum`,
  CAST(CASE rv_m WHEN 1 THEN rv_syy1 END AS DOUBLE) AS `num_sum_sq`,
  CAST(CASE rv_m WHEN 1 THEN rv_sx1 END AS DOUBLE) AS `den_sum`,
  CAST(CASE rv_m WHEN 1 THEN rv_sxx1 END AS DOUBLE) AS `den_sum_sq`,
  CAST(CASE rv_m WHEN 1 THEN rv_sxy1 END AS DOUBLE) AS `num_den_sum`,
  CASE rv_bad
    WHEN 6 THEN 'error: rows with an empty arm (column "arm" NULL or empty): fill them in or filter them out'
    WHEN 5 THEN 'error: rows with an empty day (column "dt" NULL or empty): fill them in or filter them out'
    WHEN 4 THEN 'error: column "cost" has NULL, NaN, infinite or non-numeric values: fill them in or filter them out'
    WHEN 3 THEN 'error: column "impressions" has NULL, NaN, infinite or non-numeric values: fill them in or filter them out'
    WHEN 2 THEN 'error: column "cost" has negative values, but it is a count or amount in a ratio metric and must be >= 0'
    WHEN 1 THEN 'error: column "impressions" has negative values, but it is a count or amount in a ratio metric and must be >= 0'
    ELSE 'ab/1'
  END AS `schema`
FROM rv_both LATERAL VIEW explode(array(1)) rv_m_list AS rv_m
