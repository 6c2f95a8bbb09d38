WITH rv_src AS (
  SELECT
    CASE
      WHEN LOWER(TRIM(CAST(`click` AS STRING))) IN ('1', 'true', '1.0', '1.0e0') THEN 1
      WHEN LOWER(TRIM(CAST(`click` AS STRING))) IN ('0', 'false', '0.0', '0.0e0') THEN 0
    END AS rv_y,
    TRY_CAST(`pctr` AS DOUBLE) AS rv_s1
  FROM ads.preds
),
rv_rows AS (
  SELECT
    rv_y,
    rv_s1,
    CASE
      WHEN rv_y IS NOT NULL AND (rv_s1 - rv_s1 = 0e0) THEN 0
      ELSE 1
    END AS rv_status
  FROM rv_src
),
rv_x AS (
  SELECT
    rv_k,
    rv_status,
    CASE rv_k WHEN 1 THEN rv_s1 ELSE 0e0 END AS rv_v,
    CASE WHEN rv_status = 0 THEN rv_y ELSE 0 END AS rv_pw,
    CASE WHEN rv_status = 0 THEN (1 - rv_y) ELSE 0 END AS rv_nw
  FROM rv_rows LATERAL VIEW explode(array(0, 1)) rv_k_list AS rv_k
  WHERE rv_k = 0 OR rv_status = 0
),
rv_xb AS (
  SELECT
    rv_k,
    rv_status,
    rv_v,
    rv_pw,
    rv_nw,
    CASE WHEN rv_k = 0 THEN 0 ELSE LEAST(GREATEST(CAST(FLOOR((LN(LEAST(GREATEST(rv_v, 1e-6), 9.99999e-1)) - LN(1e0 - LEAST(GREATEST(rv_v, 1e-6), 9.99999e-1)) + 1.3815510557964274e1) * 3.619120682527099e1) AS BIGINT), 0), 999) END AS rv_b,
    (rv_pw + rv_nw) * rv_v AS rv_c_score,
    rv_pw * (rv_v - 1e0) * (rv_v - 1e0) + rv_nw * rv_v * rv_v AS rv_c_sq_error,
    -(rv_pw * LN(LEAST(GREATEST(rv_v, 1e-15), 9.99999999999999e-1)) + rv_nw * LN(1e0 - LEAST(GREATEST(rv_v, 1e-15), 9.99999999999999e-1))) AS rv_c_logloss
  FROM rv_x
),
rv_agg AS (
  SELECT
    rv_k,
    rv_status,
    rv_b,
    COUNT(*) AS rv_n,
    SUM(rv_pw) AS rv_pos,
    SUM(rv_nw) AS rv_neg,
    SUM(rv_c_score) AS rv_score,
    SUM(rv_c_sq_error) AS rv_sq_error,
    SUM(rv_c_logloss) AS rv_logloss,
    MIN(rv_v) AS rv_min,
    MAX(rv_v) AS rv_max
  FROM rv_xb
  GROUP BY rv_k, rv_status, rv_b
)
SELECT
  'receval.auc.v1' AS `stats_schema`,
  CASE WHEN rv_k = 0 AND rv_status = 0 THEN 'rows' WHEN rv_k = 0 AND rv_status = 2 THEN 'negative_weight' WHEN rv_k = 0 THEN 'invalid' ELSE 'bucket' END AS `kind`,
  CASE rv_k WHEN 1 THEN 'pctr' ELSE '' END AS `score_name`,
  '' AS `grp`,
  CAST(rv_b AS BIGINT) AS `bucket`,
  CAST(0 AS DOUBLE) AS `score_value`,
  CAST(rv_n AS BIGINT) AS `n_rows`,
  CAST(rv_pos AS DOUBLE) AS `pos`,
  CAST(rv_neg AS DOUBLE) AS `neg`,
  CAST(0 AS DOUBLE) AS `u_stat`,
  CASE WHEN rv_k > 0 THEN CAST(rv_score AS DOUBLE) ELSE CAST(0 AS DOUBLE) END AS `sum_score`,
  CASE WHEN rv_k > 0 THEN CAST(rv_sq_error AS DOUBLE) ELSE CAST(0 AS DOUBLE) END AS `sum_sq_error`,
  CASE WHEN rv_k > 0 THEN CAST(rv_logloss AS DOUBLE) ELSE CAST(0 AS DOUBLE) END AS `sum_logloss`,
  CASE WHEN rv_k > 0 THEN CAST(rv_min AS DOUBLE) ELSE CAST(0 AS DOUBLE) END AS `min_score`,
  CASE WHEN rv_k > 0 THEN CAST(rv_max AS DOUBLE) ELSE CAST(0 AS DOUBLE) END AS `max_score`
FROM rv_agg
UNION ALL
SELECT 'receval.auc.v1' AS `stats_schema`, 'meta' AS `kind`, 'label' AS `score_name`, 'click' AS `grp`, CAST(0 AS BIGINT) AS `bucket`, CAST(0 AS DOUBLE) AS `score_value`, CAST(0 AS BIGINT) AS `n_rows`, CAST(0 AS DOUBLE) AS `pos`, CAST(0 AS DOUBLE) AS `neg`, CAST(0 AS DOUBLE) AS `u_stat`, CAST(0 AS DOUBLE) AS `sum_score`, CAST(0 AS DOUBLE) AS `sum_sq_error`, CAST(0 AS DOUBLE) AS `sum_logloss`, CAST(0 AS DOUBLE) AS `min_score`, CAST(0 AS DOUBLE) AS `max_score`
UNION ALL
SELECT 'receval.auc.v1' AS `stats_schema`, 'meta' AS `kind`, 'score' AS `score_name`, 'pctr' AS `grp`, CAST(1 AS BIGINT) AS `bucket`, CAST(0 AS DOUBLE) AS `score_value`, CAST(0 AS BIGINT) AS `n_rows`, CAST(0 AS DOUBLE) AS `pos`, CAST(0 AS DOUBLE) AS `neg`, CAST(0 AS DOUBLE) AS `u_stat`, CAST(0 AS DOUBLE) AS `sum_score`, CAST(0 AS DOUBLE) AS `sum_sq_error`, CAST(0 AS DOUBLE) AS `sum_logloss`, CAST(0 AS DOUBLE) AS `min_score`, CAST(0 AS DOUBLE) AS `max_score`
UNION ALL
SELECT 'receval.auc.v1' AS `stats_schema`, 'meta' AS `kind`, 'group' AS `score_name`, '' AS `grp`, CAST(0 AS BIGINT) AS `bucket`, CAST(0 AS DOUBLE) AS `score_value`, CAST(0 AS BIGINT) AS `n_rows`, CAST(0 AS DOUBLE) AS `pos`, CAST(0 AS DOUBLE) AS `neg`, CAST(0 AS DOUBLE) AS `u_stat`, CAST(0 AS DOUBLE) AS `sum_score`, CAST(0 AS DOUBLE) AS `sum_sq_error`, CAST(0 AS DOUBLE) AS `sum_logloss`, CAST(0 AS DOUBLE) AS `min_score`, CAST(0 AS DOUBLE) AS `max_score`
UNION ALL
SELECT 'receval.auc.v1' AS `stats_schema`, 'meta' AS `kind`, 'weight' AS `score_name`, '' AS `grp`, CAST(0 AS BIGINT) AS `bucket`, CAST(0 AS DOUBLE) AS `score_value`, CAST(0 AS BIGINT) AS `n_rows`, CAST(0 AS DOUBLE) AS `pos`, CAST(0 AS DOUBLE) AS `neg`, CAST(0 AS DOUBLE) AS `u_stat`, CAST(0 AS DOUBLE) AS `sum_score`, CAST(0 AS DOUBLE) AS `sum_sq_error`, CAST(0 AS DOUBLE) AS `sum_logloss`, CAST(0 AS DOUBLE) AS `min_score`, CAST(0 AS DOUBLE) AS `max_score`
UNION ALL
SELECT 'receval.auc.v1' AS `stats_schema`, 'meta' AS `kind`, 'buckets' AS `score_name`, '1000' AS `grp`, CAST(1000 AS BIGINT) AS `bucket`, CAST(0 AS DOUBLE) AS `score_value`, CAST(0 AS BIGINT) AS `n_rows`, CAST(0 AS DOUBLE) AS `pos`, CAST(0 AS DOUBLE) AS `neg`, CAST(0 AS DOUBLE) AS `u_stat`, CAST(0 AS DOUBLE) AS `sum_score`, CAST(0 AS DOUBLE) AS `sum_sq_error`, CAST(0 AS DOUBLE) AS `sum_logloss`, CAST(0 AS DOUBLE) AS `min_score`, CAST(0 AS DOUBLE) AS `max_score`
UNION ALL
SELECT 'receval.auc.v1' AS `stats_schema`, 'meta' AS `kind`, 'score_scale' AS `score_name`, 'probability' AS `grp`, CAST(0 AS BIGINT) AS `bucket`, CAST(0 AS DOUBLE) AS `score_value`, CAST(0 AS BIGINT) AS `n_rows`, CAST(0 AS DOUBLE) AS `pos`, CAST(0 AS DOUBLE) AS `neg`, CAST(0 AS DOUBLE) AS `u_stat`, CAST(0 AS DOUBLE) AS `sum_score`, CAST(0 AS DOUBLE) AS `sum_sq_error`, CAST(0 AS DOUBLE) AS `sum_logloss`, CAST(0 AS DOUBLE) AS `min_score`, CAST(0 AS DOUBLE) AS `max_score`
