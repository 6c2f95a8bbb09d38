WITH rv_src AS (
  SELECT
    CASE
      WHEN LOWER(TRIM(CAST(`click` AS STRING))) IN ('1', 'true', '1.0', '1.0e0') THEN 1
      WHEN LOWER(TRIM(CAST(`click` AS STRING))) IN ('0', 'false', '0.0', '0.0e0') THEN 0
    END AS rv_y,
    SAFE_CAST(`pctr` AS FLOAT64) AS rv_s1
  FROM ads.preds
),
rv_rows AS (
  SELECT
    rv_y,
    rv_s1,
    CASE
      WHEN rv_y IS NOT NULL AND (NOT IS_INF(rv_s1) AND NOT IS_NAN(rv_s1)) THEN 0
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
  FROM rv_rows CROSS JOIN UNNEST([0, 1]) AS rv_k
  WHERE rv_k = 0 OR rv_status = 0
),
rv_agg AS (
  SELECT
    rv_k,
    rv_status,
    rv_v,
    COUNT(*) AS rv_n,
    SUM(rv_pw) AS rv_pos,
    SUM(rv_nw) AS rv_neg
  FROM rv_x
  GROUP BY rv_k, rv_status, rv_v
)
SELECT
  'receval.auc.v1' AS `stats_schema`,
  CASE WHEN rv_k = 0 AND rv_status = 0 THEN 'rows' WHEN rv_k = 0 AND rv_status = 2 THEN 'negative_weight' WHEN rv_k = 0 THEN 'invalid' ELSE 'value' END AS `kind`,
  CASE rv_k WHEN 1 THEN 'pctr' ELSE '' END AS `score_name`,
  '' AS `grp`,
  CASE WHEN rv_k > 0 THEN LEAST(GREATEST(CAST(FLOOR((LN(LEAST(GREATEST(rv_v, 1e-6), 9.99999e-1)) - LN(1e0 - LEAST(GREATEST(rv_v, 1e-6), 9.99999e-1)) + 1.3815510557964274e1) * 3.705979578907749e1) AS INT64), 0), 1023) ELSE CAST(0 AS INT64) END AS `bucket`,
  CASE WHEN rv_k > 0 THEN CAST(rv_v AS FLOAT64) ELSE CAST(0 AS FLOAT64) END AS `score_value`,
  CAST(rv_n AS INT64) AS `n_rows`,
  CAST(rv_pos AS FLOAT64) AS `pos`,
  CAST(rv_neg AS FLOAT64) AS `neg`,
  CAST(0 AS FLOAT64) AS `u_stat`,
  CAST(0 AS FLOAT64) AS `sum_score`,
  CAST(0 AS FLOAT64) AS `sum_sq_error`,
  CAST(0 AS FLOAT64) AS `sum_logloss`,
  CASE WHEN rv_k > 0 THEN CAST(rv_v AS FLOAT64) ELSE CAST(0 AS FLOAT64) END AS `min_score`,
  CASE WHEN rv_k > 0 THEN CAST(rv_v AS FLOAT64) ELSE CAST(0 AS FLOAT64) END AS `max_score`
FROM rv_agg
UNION ALL
SELECT 'receval.auc.v1' AS `stats_schema`, 'meta' AS `kind`, 'label' AS `score_name`, 'click' AS `grp`, CAST(0 AS INT64) AS `bucket`, CAST(0 AS FLOAT64) AS `score_value`, CAST(0 AS INT64) AS `n_rows`, CAST(0 AS FLOAT64) AS `pos`, CAST(0 AS FLOAT64) AS `neg`, CAST(0 AS FLOAT64) AS `u_stat`, CAST(0 AS FLOAT64) AS `sum_score`, CAST(0 AS FLOAT64) AS `sum_sq_error`, CAST(0 AS FLOAT64) AS `sum_logloss`, CAST(0 AS FLOAT64) AS `min_score`, CAST(0 AS FLOAT64) AS `max_score`
UNION ALL
SELECT 'receval.auc.v1' AS `stats_schema`, 'meta' AS `kind`, 'score' AS `score_name`, 'pctr' AS `grp`, CAST(1 AS INT64) AS `bucket`, CAST(0 AS FLOAT64) AS `score_value`, CAST(0 AS INT64) AS `n_rows`, CAST(0 AS FLOAT64) AS `pos`, CAST(0 AS FLOAT64) AS `neg`, CAST(0 AS FLOAT64) AS `u_stat`, CAST(0 AS FLOAT64) AS `sum_score`, CAST(0 AS FLOAT64) AS `sum_sq_error`, CAST(0 AS FLOAT64) AS `sum_logloss`, CAST(0 AS FLOAT64) AS `min_score`, CAST(0 AS FLOAT64) AS `max_score`
UNION ALL
SELECT 'receval.auc.v1' AS `stats_schema`, 'meta' AS `kind`, 'group' AS `score_name`, '' AS `grp`, CAST(0 AS INT64) AS `bucket`, CAST(0 AS FLOAT64) AS `score_value`, CAST(0 AS INT64) AS `n_rows`, CAST(0 AS FLOAT64) AS `pos`, CAST(0 AS FLOAT64) AS `neg`, CAST(0 AS FLOAT64) AS `u_stat`, CAST(0 AS FLOAT64) AS `sum_score`, CAST(0 AS FLOAT64) AS `sum_sq_error`, CAST(0 AS FLOAT64) AS `sum_logloss`, CAST(0 AS FLOAT64) AS `min_score`, CAST(0 AS FLOAT64) AS `max_score`
UNION ALL
SELECT 'receval.auc.v1' AS `stats_schema`, 'meta' AS `kind`, 'weight' AS `score_name`, '' AS `grp`, CAST(0 AS INT64) AS `bucket`, CAST(0 AS FLOAT64) AS `score_value`, CAST(0 AS INT64) AS `n_rows`, CAST(0 AS FLOAT64) AS `pos`, CAST(0 AS FLOAT64) AS `neg`, CAST(0 AS FLOAT64) AS `u_stat`, CAST(0 AS FLOAT64) AS `sum_score`, CAST(0 AS FLOAT64) AS `sum_sq_error`, CAST(0 AS FLOAT64) AS `sum_logloss`, CAST(0 AS FLOAT64) AS `min_score`, CAST(0 AS FLOAT64) AS `max_score`
UNION ALL
SELECT 'receval.auc.v1' AS `stats_schema`, 'meta' AS `kind`, 'buckets' AS `score_name`, '0' AS `grp`, CAST(0 AS INT64) AS `bucket`, CAST(0 AS FLOAT64) AS `score_value`, CAST(0 AS INT64) AS `n_rows`, CAST(0 AS FLOAT64) AS `pos`, CAST(0 AS FLOAT64) AS `neg`, CAST(0 AS FLOAT64) AS `u_stat`, CAST(0 AS FLOAT64) AS `sum_score`, CAST(0 AS FLOAT64) AS `sum_sq_error`, CAST(0 AS FLOAT64) AS `sum_logloss`, CAST(0 AS FLOAT64) AS `min_score`, CAST(0 AS FLOAT64) AS `max_score`
UNION ALL
SELECT 'receval.auc.v1' AS `stats_schema`, 'meta' AS `kind`, 'score_scale' AS `score_name`, 'probability' AS `grp`, CAST(0 AS INT64) AS `bucket`, CAST(0 AS FLOAT64) AS `score_value`, CAST(0 AS INT64) AS `n_rows`, CAST(0 AS FLOAT64) AS `pos`, CAST(0 AS FLOAT64) AS `neg`, CAST(0 AS FLOAT64) AS `u_stat`, CAST(0 AS FLOAT64) AS `sum_score`, CAST(0 AS FLOAT64) AS `sum_sq_error`, CAST(0 AS FLOAT64) AS `sum_logloss`, CAST(0 AS FLOAT64) AS `min_score`, CAST(0 AS FLOAT64) AS `max_score`
