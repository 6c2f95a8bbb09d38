WITH rv_src AS (
  SELECT
    COALESCE(CAST("arm" AS VARCHAR), '') AS rv_arm,
    COALESCE(CAST("user_id" AS VARCHAR), '') AS rv_unit,
    COALESCE(CAST("dt" AS VARCHAR), '') AS rv_day,
    TRY_CAST("clicks" AS DOUBLE) AS rv_raw1,
    TRY_CAST("impressions" AS DOUBLE) AS rv_raw2,
    TRY_CAST("pre_clicks" AS DOUBLE) AS rv_rawz1
  FROM ads.events
),
rv_rows AS (
  SELECT
    rv_arm,
    rv_unit,
    rv_day,
    CASE WHEN (is_finite(rv_raw1)) THEN rv_raw1 ELSE 0e0 END AS rv_c1,
    CASE WHEN (is_finite(rv_raw2)) THEN rv_raw2 ELSE 0e0 END AS rv_c2,
    CASE WHEN (is_finite(rv_rawz1)) THEN rv_rawz1 ELSE 0e0 END AS rv_z1,
    CASE
      WHEN rv_arm = '' THEN 9
      WHEN rv_unit = '' THEN 8
      WHEN rv_day = '' THEN 7
      WHEN NOT COALESCE((is_finite(rv_raw1)), FALSE) THEN 6
      WHEN NOT COALESCE((is_finite(rv_raw2)), FALSE) THEN 5
      WHEN NOT COALESCE((is_finite(rv_rawz1)), FALSE) THEN 4
      WHEN COALESCE((is_finite(rv_raw1)), FALSE) AND rv_raw1 < 0e0 THEN 3
      WHEN COALESCE((is_finite(rv_raw2)), FALSE) AND rv_raw2 < 0e0 THEN 2
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
    CASE WHEN regexp_like(rv_day, '^ *[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)? *$') THEN TRY_CAST(TRIM(rv_day) AS DOUBLE) END AS rv_dnum,
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
rv_ud AS (
  SELECT
    rv_arm,
    rv_unit,
    rv_day,
    SUM(rv_c1) AS rv_c1,
    SUM(rv_c2) AS rv_c2,
    MIN(rv_z1) AS rv_z1,
    MAX(rv_z1) AS rv_zx1,
    MAX(rv_rbad) AS rv_rbad
  FROM rv_rows
  GROUP BY rv_arm, rv_unit, rv_day
),
rv_udr AS (
  SELECT
    u.rv_arm,
    u.rv_unit,
    k.rv_r,
    u.rv_c1,
    u.rv_c2,
    u.rv_z1,
    u.rv_zx1,
    u.rv_rbad
  FROM rv_ud u
  JOIN rv_rank k ON u.rv_day = k.rv_day
),
rv_run AS (
  SELECT
    rv_arm,
    rv_unit,
    rv_r,
    rv_c1,
    rv_c2,
    rv_rbad,
    SUM(rv_c1) OVER (PARTITION BY rv_arm, rv_unit ORDER BY rv_r ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rv_s1,
    SUM(rv_c2) OVER (PARTITION BY rv_arm, rv_unit ORDER BY rv_r ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rv_s2,
    MIN(rv_z1) OVER (PARTITION BY rv_arm, rv_unit) AS rv_z1,
    MAX(rv_zx1) OVER (PARTITION BY rv_arm, rv_unit) AS rv_zx1,
    ROW_NUMBER() OVER (PARTITION BY rv_arm, rv_unit ORDER BY rv_r) AS rv_seq
  FROM rv_udr
),
rv_prev AS (
  SELECT
    rv_arm,
    rv_r,
    rv_c1,
    rv_s1,
    rv_c2,
    rv_s2,
    rv_z1,
    rv_zx1,
    rv_rbad,
    CASE WHEN rv_seq = 1 THEN 1 ELSE 0 END AS rv_new,
    LAG(rv_s1) OVER (PARTITION BY rv_arm, rv_unit ORDER BY rv_r) AS rv_p1,
    LAG(rv_s2) OVER (PARTITION BY rv_arm, rv_unit ORDER BY rv_r) AS rv_p2
  FROM rv_run
),
rv_vals AS (
  SELECT
    rv_arm,
    rv_r,
    rv_new,
    rv_c1 AS rv_y1,
    rv_c2 AS rv_x1,
    rv_c1 AS rv_y2,
    rv_z1 AS rv_w2,
    rv_s1 AS rv_yc1,
    CASE WHEN rv_new = 1 THEN 0e0 ELSE rv_p1 END AS rv_yp1,
    rv_s2 AS rv_xc1,
    CASE WHEN rv_new = 1 THEN 0e0 ELSE rv_p2 END AS rv_xp1,
    rv_s1 AS rv_yc2,
    CASE WHEN rv_new = 1 THEN 0e0 ELSE rv_p1 END AS rv_yp2,
    CASE
      WHEN rv_rbad > 0 THEN rv_rbad
      WHEN rv_z1 <> rv_zx1 THEN 1
      ELSE 0
    END AS rv_bad
  FROM rv_prev
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
    SUM(rv_y2) AS rv_dsy2,
    SUM(rv_y2 * rv_y2) AS rv_dsyy2,
    SUM(rv_w2) AS rv_dsz2,
    SUM(rv_w2 * rv_w2) AS rv_dszz2,
    SUM(rv_y2 * rv_w2) AS rv_dsyz2,
    MAX(rv_bad) AS rv_bad,
    SUM(rv_new) AS rv_iunits,
    SUM(rv_yc1 - rv_yp1) AS rv_isy1,
    SUM(rv_yc1 * rv_yc1 - rv_yp1 * rv_yp1) AS rv_isyy1,
    SUM(rv_xc1 - rv_xp1) AS rv_isx1,
    SUM(rv_xc1 * rv_xc1 - rv_xp1 * rv_xp1) AS rv_isxx1,
    SUM(rv_xc1 * rv_yc1 - rv_xp1 * rv_yp1) AS rv_isxy1,
    SUM(rv_yc2 - rv_yp2) AS rv_isy2,
    SUM(rv_yc2 * rv_yc2 - rv_yp2 * rv_yp2) AS rv_isyy2,
    SUM(CASE WHEN rv_new = 1 THEN rv_w2 ELSE 0e0 END) AS rv_isz2,
    SUM(CASE WHEN rv_new = 1 THEN rv_w2 * rv_w2 ELSE 0e0 END) AS rv_iszz2,
    SUM((rv_yc2 - rv_yp2) * rv_w2) AS rv_isyz2
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
    a.rv_dsy2,
    a.rv_dsyy2,
    a.rv_dsz2,
    a.rv_dszz2,
    a.rv_dsyz2,
    a.rv_bad AS rv_dbad,
    SUM(COALESCE(a.rv_iunits, 0)) OVER (PARTITION BY g.rv_arm ORDER BY g.rv_r ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rv_cunits,
    SUM(COALESCE(a.rv_isy1, 0e0)) OVER (PARTITION BY g.rv_arm ORDER BY g.rv_r ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rv_c_sy1,
    SUM(COALESCE(a.rv_isyy1, 0e0)) OVER (PARTITION BY g.rv_arm ORDER BY g.rv_r ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rv_c_syy1,
    SUM(COALESCE(a.rv_isx1, 0e0)) OVER (PARTITION BY g.rv_arm ORDER BY g.rv_r ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rv_c_sx1,
    SUM(COALESCE(a.rv_isxx1, 0e0)) OVER (PARTITION BY g.rv_arm ORDER BY g.rv_r ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rv_c_sxx1,
    SUM(COALESCE(a.rv_isxy1, 0e0)) OVER (PARTITION BY g.rv_arm ORDER BY g.rv_r ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rv_c_sxy1,
    SUM(COALESCE(a.rv_isy2, 0e0)) OVER (PARTITION BY g.rv_arm ORDER BY g.rv_r ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rv_c_sy2,
    SUM(COALESCE(a.rv_isyy2, 0e0)) OVER (PARTITION BY g.rv_arm ORDER BY g.rv_r ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rv_c_syy2,
    SUM(COALESCE(a.rv_isz2, 0e0)) OVER (PARTITION BY g.rv_arm ORDER BY g.rv_r ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rv_c_sz2,
    SUM(COALESCE(a.rv_iszz2, 0e0)) OVER (PARTITION BY g.rv_arm ORDER BY g.rv_r ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rv_c_szz2,
    SUM(COALESCE(a.rv_isyz2, 0e0)) OVER (PARTITION BY g.rv_arm ORDER BY g.rv_r ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rv_c_syz2,
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
    CASE WHEN rv_t = 1 THEN rv_c_sy2 ELSE rv_dsy2 END AS rv_sy2,
    CASE WHEN rv_t = 1 THEN rv_c_syy2 ELSE rv_dsyy2 END AS rv_syy2,
    CASE WHEN rv_t = 1 THEN rv_c_sz2 ELSE rv_dsz2 END AS rv_sz2,
    CASE WHEN rv_t = 1 THEN rv_c_szz2 ELSE rv_dszz2 END AS rv_szz2,
    CASE WHEN rv_t = 1 THEN rv_c_syz2 ELSE rv_dsyz2 END AS rv_syz2,
    CASE WHEN rv_t = 1 THEN rv_cbad ELSE rv_dbad END AS rv_bad
  FROM rv_cum CROSS JOIN UNNEST(ARRAY[0, 1]) AS rv_t_list (rv_t)
  WHERE (rv_t = 0 AND rv_dunits > 0) OR (rv_t = 1 AND rv_cunits > 0)
)
SELECT
  CASE rv_m WHEN 1 THEN 'ctr' WHEN 2 THEN 'clicks' END AS "metric",
  rv_arm AS "arm",
  rv_day AS "day",
  CAST(rv_t AS BIGINT) AS "cumulative",
  CAST(rv_units AS BIGINT) AS "units",
  CAST(CASE rv_m WHEN 1 THEN rv_sy1 WHEN 2 THEN rv_sy2 END AS DOUBLE) AS "num_sum",
  CAST(CASE rv_m WHEN 1 THEN rv_syy1 WHEN 2 THEN rv_syy2 END AS DOUBLE) AS "num_sum_sq",
  CAST(CASE rv_m WHEN 1 THEN rv_sx1 WHEN 2 THEN CAST(rv_units AS DOUBLE) END AS DOUBLE) AS "den_sum",
  CAST(CASE rv_m WHEN 1 THEN rv_sxx1 WHEN 2 THEN CAST(rv_units AS DOUBLE) END AS DOUBLE) AS "den_sum_sq",
  CAST(CASE rv_m WHEN 1 THEN rv_sxy1 WHEN 2 THEN rv_sy2 END AS DOUBLE) AS "num_den_sum",
  CAST(CASE rv_m WHEN 1 THEN 0e0 WHEN 2 THEN rv_sz2 END AS DOUBLE) AS "cov_sum",
  CAST(CASE rv_m WHEN 1 THEN 0e0 WHEN 2 THEN rv_szz2 END AS DOUBLE) AS "cov_sum_sq",
  CAST(CASE rv_m WHEN 1 THEN 0e0 WHEN 2 THEN rv_syz2 END AS DOUBLE) AS "num_cov_sum",
  CAST(CASE rv_m WHEN 1 THEN 0e0 WHEN 2 THEN rv_sz2 END AS DOUBLE) AS "den_cov_sum",
  CASE rv_bad
    WHEN 9 THEN 'error: rows with an empty arm (column "arm" NULL or empty): fill them in or filter them out'
    WHEN 8 THEN 'error: rows with an empty unit (column "user_id" NULL or empty): fill them in or filter them out'
    WHEN 7 THEN 'error: rows with an empty day (column "dt" NULL or empty): fill them in or filter them out'
    WHEN 6 THEN 'error: column "clicks" has NULL, NaN, infinite or non-numeric values: fill them in or filter them out'
    WHEN 5 THEN 'error: column "impressions" has NULL, NaN, infinite or non-numeric values: fill them in or filter them out'
    WHEN 4 THEN 'error: column "pre_clicks" has NULL, NaN, infinite or non-numeric values: fill them in or filter them out'
    WHEN 3 THEN 'error: column "clicks" has negative values, but it is a count or amount in a ratio metric and must be >= 0'
    WHEN 2 THEN 'error: column "impressions" has negative values, but it is a count or amount in a ratio metric and must be >= 0'
    WHEN 1 THEN 'error: covariate column "pre_clicks" differs between the rows of one unit, but a covariate is one pre-period value per unit, repeated on each of its rows'
    ELSE 'ab/1'
  END AS "schema"
FROM rv_both CROSS JOIN UNNEST(ARRAY[1, 2]) AS rv_m_list (rv_m)
