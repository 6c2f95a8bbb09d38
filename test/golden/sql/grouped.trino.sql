WITH rv_src AS (
  SELECT
    CASE
      WHEN LOWER(TRIM(CAST("click" AS VARCHAR))) IN ('1', 'true', '1.0', '1.0e0') THEN 1
      WHEN LOWER(TRIM(CAST("click" AS VARCHAR))) IN ('0', 'false', '0.0', '0.0e0') THEN 0
    END AS rv_y,
    TRY_CAST("pctr" AS DOUBLE) AS rv_s1,
    TRY_CAST("pctr_v2" AS DOUBLE) AS rv_s2,
    TRY_CAST("bid" AS DOUBLE) AS rv_w,
    COALESCE(CAST("user_id" AS VARCHAR), '') AS rv_g
  FROM ads.preds
  WHERE (dt = '2024-06-01')
),
rv_rows AS (
  SELECT
    rv_y,
    rv_s1,
    rv_s2,
    rv_w,
    rv_g,
    CASE
      WHEN (is_finite(rv_w)) AND rv_w < 0e0 THEN 2
      WHEN rv_y IS NOT NULL AND (is_finite(rv_s1)) AND (is_finite(rv_s2)) AND (is_finite(rv_w)) THEN 0
      ELSE 1
    END AS rv_status
  FROM rv_src
),
rv_x AS (
  SELECT
    rv_k,
    rv_status,
    CASE WHEN rv_k = 0 THEN '' ELSE rv_g END AS rv_gk,
    CASE rv_k WHEN 1 THEN rv_s1 WHEN 2 THEN rv_s2 ELSE 0e0 END AS rv_v,
    CASE WHEN rv_status = 0 THEN rv_y * rv_w ELSE 0e0 END AS rv_pw,
    CASE WHEN rv_status = 0 THEN (1 - rv_y) * rv_w ELSE 0e0 END AS rv_nw
  FROM rv_rows CROSS JOIN UNNEST(ARRAY[0, 1, 2]) AS rv_k_list (rv_k)
  WHERE rv_k = 0 OR rv_status = 0
),
rv_l1 AS (
  SELECT
    rv_k,
    rv_status,
    rv_gk,
    rv_v,
    COUNT(*) AS rv_n1,
    SUM(rv_pw) AS rv_pos1,
    SUM(rv_nw) AS rv_neg1
  FROM rv_x
  GROUP BY rv_k, rv_status, rv_gk, rv_v
),
rv_l2 AS (
  SELECT
    rv_k,
    rv_status,
    rv_gk,
    rv_v,
    rv_n1,
    rv_pos1,
    rv_neg1,
    rv_pos1 * (COALESCE(SUM(rv_neg1) OVER (PARTITION BY rv_k, rv_gk ORDER BY rv_v ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) + 5e-1 * rv_neg1) AS rv_u1
  FROM rv_l1
),
rv_l3 AS (
  SELECT
    rv_t,
    rv_k,
    rv_status,
    CASE WHEN rv_t = 1 THEN rv_gk ELSE '' END AS rv_gt,
    rv_n1,
    rv_pos1,
    rv_neg1,
    rv_u1,
    CASE WHEN rv_t = 1 THEN 0e0 ELSE rv_v END AS rv_vt
  FROM rv_l2 CROSS JOIN UNNEST(ARRAY[1, 2]) AS rv_t_list (rv_t)
  WHERE rv_t = 2 OR rv_k > 0
),
rv_agg AS (
  SELECT
    rv_t,
    rv_k,
    rv_status,
    rv_gt,
    rv_vt,
    SUM(rv_n1) AS rv_n,
    SUM(rv_pos1) AS rv_pos,
    SUM(rv_neg1) AS rv_neg,
    SUM(rv_u1) AS rv_u
  FROM rv_l3
  GROUP BY rv_t, rv_k, rv_status, rv_gt, rv_vt
)
SELECT
  'receval.auc.v1' AS "stats_schema",
  CASE WHEN rv_k = 0 AND rv_status = 0 THEN 'rows' WHEN rv_k = 0 AND rv_status = 2 THEN 'negative_weight' WHEN rv_k = 0 THEN 'invalid' WHEN rv_t = 1 THEN 'group' ELSE 'value' END AS "kind",
  CASE rv_k WHEN 1 THEN 'pctr' WHEN 2 THEN 'pctr_v2' ELSE '' END AS "score_name",
  CASE WHEN rv_t = 1 THEN rv_gt ELSE '' END AS "grp",
  CASE WHEN rv_k > 0 AND rv_t = 2 THEN LEAST(GREATEST(CAST(FLOOR((LN(LEAST(GREATEST(rv_vt, 1e-6), 9.99999e-1)) - LN(1e0 - LEAST(GREATEST(rv_vt, 1e-6), 9.99999e-1)) + 1.3815510557964274e1) * 3.705979578907749e1) AS BIGINT), 0), 1023) ELSE CAST(0 AS BIGINT) END AS "bucket",
  CASE WHEN rv_k > 0 AND rv_t = 2 THEN CAST(rv_vt AS DOUBLE) ELSE CAST(0 AS DOUBLE) END AS "score_value",
  CAST(rv_n AS BIGINT) AS "n_rows",
  CAST(rv_pos AS DOUBLE) AS "pos",
  CAST(rv_neg AS DOUBLE) AS "neg",
  CASE WHEN rv_t = 1 THEN CAST(rv_u AS DOUBLE) ELSE CAST(0 AS DOUBLE) END AS "u_stat",
  CAST(0 AS DOUBLE) AS "sum_score",
  CAST(0 AS DOUBLE) AS "sum_sq_error",
  CAST(0 AS DOUBLE) AS "sum_logloss",
  CASE WHEN rv_k > 0 AND rv_t = 2 THEN CAST(rv_vt AS DOUBLE) ELSE CAST(0 AS DOUBLE) END AS "min_score",
  CASE WHEN rv_k > 0 AND rv_t = 2 THEN CAST(rv_vt AS DOUBLE) ELSE CAST(0 AS DOUBLE) END AS "max_score"
FROM rv_agg
UNION ALL
SELECT 'receval.auc.v1' AS "stats_schema", 'meta' AS "kind", 'label' AS "score_name", 'click' AS "grp", CAST(0 AS BIGINT) AS "bucket", CAST(0 AS DOUBLE) AS "score_value", CAST(0 AS BIGINT) AS "n_rows", CAST(0 AS DOUBLE) AS "pos", CAST(0 AS DOUBLE) AS "neg", CAST(0 AS DOUBLE) AS "u_stat", CAST(0 AS DOUBLE) AS "sum_score", CAST(0 AS DOUBLE) AS "sum_sq_error", CAST(0 AS DOUBLE) AS "sum_logloss", CAST(0 AS DOUBLE) AS "min_score", CAST(0 AS DOUBLE) AS "max_score"
UNION ALL
SELECT 'receval.auc.v1' AS "stats_schema", 'meta' AS "kind", 'score' AS "score_name", 'pctr' AS "grp", CAST(1 AS BIGINT) AS "bucket", CAST(0 AS DOUBLE) AS "score_value", CAST(0 AS BIGINT) AS "n_rows", CAST(0 AS DOUBLE) AS "pos", CAST(0 AS DOUBLE) AS "neg", CAST(0 AS DOUBLE) AS "u_stat", CAST(0 AS DOUBLE) AS "sum_score", CAST(0 AS DOUBLE) AS "sum_sq_error", CAST(0 AS DOUBLE) AS "sum_logloss", CAST(0 AS DOUBLE) AS "min_score", CAST(0 AS DOUBLE) AS "max_score"
UNION ALL
SELECT 'receval.auc.v1' AS "stats_schema", 'meta' AS "kind", 'score' AS "score_name", 'pctr_v2' AS "grp", CAST(2 AS BIGINT) AS "bucket", CAST(0 AS DOUBLE) AS "score_value", CAST(0 AS BIGINT) AS "n_rows", CAST(0 AS DOUBLE) AS "pos", CAST(0 AS DOUBLE) AS "neg", CAST(0 AS DOUBLE) AS "u_stat", CAST(0 AS DOUBLE) AS "sum_score", CAST(0 AS DOUBLE) AS "sum_sq_error", CAST(0 AS DOUBLE) AS "sum_logloss", CAST(0 AS DOUBLE) AS "min_score", CAST(0 AS DOUBLE) AS "max_score"
UNION ALL
SELECT 'receval.auc.v1' AS "stats_schema", 'meta' AS "kind", 'group' AS "score_name", 'user_id' AS "grp", CAST(0 AS BIGINT) AS "bucket", CAST(0 AS DOUBLE) AS "score_value", CAST(0 AS BIGINT) AS "n_rows", CAST(0 AS DOUBLE) AS "pos", CAST(0 AS DOUBLE) AS "neg", CAST(0 AS DOUBLE) AS "u_stat", CAST(0 AS DOUBLE) AS "sum_score", CAST(0 AS DOUBLE) AS "sum_sq_error", CAST(0 AS DOUBLE) AS "sum_logloss", CAST(0 AS DOUBLE) AS "min_score", CAST(0 AS DOUBLE) AS "max_score"
UNION ALL
SELECT 'receval.auc.v1' AS "stats_schema", 'meta' AS "kind", 'weight' AS "score_name", 'bid' AS "grp", CAST(0 AS BIGINT) AS "bucket", CAST(0 AS DOUBLE) AS "score_value", CAST(0 AS BIGINT) AS "n_rows", CAST(0 AS DOUBLE) AS "pos", CAST(0 AS DOUBLE) AS "neg", CAST(0 AS DOUBLE) AS "u_stat", CAST(0 AS DOUBLE) AS "sum_score", CAST(0 AS DOUBLE) AS "sum_sq_error", CAST(0 AS DOUBLE) AS "sum_logloss", CAST(0 AS DOUBLE) AS "min_score", CAST(0 AS DOUBLE) AS "max_score"
UNION ALL
SELECT 'receval.auc.v1' AS "stats_schema", 'meta' AS "kind", 'buckets' AS "score_name", '0' AS "grp", CAST(0 AS BIGINT) AS "bucket", CAST(0 AS DOUBLE) AS "score_value", CAST(0 AS BIGINT) AS "n_rows", CAST(0 AS DOUBLE) AS "pos", CAST(0 AS DOUBLE) AS "neg", CAST(0 AS DOUBLE) AS "u_stat", CAST(0 AS DOUBLE) AS "sum_score", CAST(0 AS DOUBLE) AS "sum_sq_error", CAST(0 AS DOUBLE) AS "sum_logloss", CAST(0 AS DOUBLE) AS "min_score", CAST(0 AS DOUBLE) AS "max_score"
UNION ALL
SELECT 'receval.auc.v1' AS "stats_schema", 'meta' AS "kind", 'score_scale' AS "score_name", 'probability' AS "grp", CAST(0 AS BIGINT) AS "bucket", CAST(0 AS DOUBLE) AS "score_value", CAST(0 AS BIGINT) AS "n_rows", CAST(0 AS DOUBLE) AS "pos", CAST(0 AS DOUBLE) AS "neg", CAST(0 AS DOUBLE) AS "u_stat", CAST(0 AS DOUBLE) AS "sum_score", CAST(0 AS DOUBLE) AS "sum_sq_error", CAST(0 AS DOUBLE) AS "sum_logloss", CAST(0 AS DOUBLE) AS "min_score", CAST(0 AS DOUBLE) AS "max_score"
