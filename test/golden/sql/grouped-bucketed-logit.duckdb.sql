WITH rv_src AS (
  SELECT
    CASE
      WHEN LOWER(TRIM(CAST("label" AS VARCHAR))) IN ('1', 'true', '1.0', '1.0e0') THEN 1
      WHEN LOWER(TRIM(CAST("label" AS VARCHAR))) IN ('0', 'false', '0.0', '0.0e0') THEN 0
    END AS rv_y,
    TRY_CAST("logit" AS DOUBLE) AS rv_s1,
    COALESCE(CAST("user_id" AS VARCHAR), '') AS rv_g
  FROM ads.preds
),
rv_rows AS (
  SELECT
    rv_y,
    rv_s1,
    rv_g,
    CASE
      WHEN rv_y IS NOT NULL AND (isfinite(rv_s1)) THEN 0
      ELSE 1
    END AS rv_status
  FROM rv_src
),
rv_x AS (
  SELECT
    rv_k,
    rv_status,
    CASE WHEN rv_k = 0 THEN '' ELSE rv_g END AS rv_gk,
    CASE rv_k WHEN 1 THEN rv_s1 ELSE 0e0 END AS rv_v,
    CASE WHEN rv_status = 0 THEN rv_y ELSE 0 END AS rv_pw,
    CASE WHEN rv_status = 0 THEN (1 - rv_y) ELSE 0 END AS rv_nw
  FROM rv_rows CROSS JOIN (VALUES (0), (1)) AS rv_k_list (rv_k)
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
    rv_v,
    CASE WHEN rv_t = 1 OR rv_k = 0 THEN 0 ELSE LEAST(GREATEST(CAST(FLOOR((LEAST(GREATEST(rv_v, -1.3815510557964274e1), 1.3815510557964274e1) + 1.3815510557964274e1) * 3.6191206825270985e0) AS BIGINT), 0), 99) END AS rv_b,
    (CASE WHEN rv_t = 2 THEN rv_pos1 ELSE 0e0 END + CASE WHEN rv_t = 2 THEN rv_neg1 ELSE 0e0 END) * rv_v AS rv_c_score,
    CASE WHEN rv_t = 2 THEN rv_pos1 ELSE 0e0 END * (rv_v - 1e0) * (rv_v - 1e0) + CASE WHEN rv_t = 2 THEN rv_neg1 ELSE 0e0 END * rv_v * rv_v AS rv_c_sq_error,
    -(CASE WHEN rv_t = 2 THEN rv_pos1 ELSE 0e0 END * LN(LEAST(GREATEST(rv_v, 1e-15), 9.99999999999999e-1)) + CASE WHEN rv_t = 2 THEN rv_neg1 ELSE 0e0 END * LN(1e0 - LEAST(GREATEST(rv_v, 1e-15), 9.99999999999999e-1))) AS rv_c_logloss
  FROM rv_l2 CROSS JOIN (VALUES (1), (2)) AS rv_t_list (rv_t)
  WHERE rv_t = 2 OR rv_k > 0
),
rv_agg AS (
  SELECT
    rv_t,
    rv_k,
    rv_status,
    rv_gt,
    rv_b,
    SUM(rv_n1) AS rv_n,
    SUM(rv_pos1) AS rv_pos,
    SUM(rv_neg1) AS rv_neg,
    SUM(rv_u1) AS rv_u,
    SUM(rv_c_score) AS rv_score,
    SUM(rv_c_sq_error) AS rv_sq_error,
    SUM(rv_c_logloss) AS rv_logloss,
    MIN(rv_v) AS rv_min,
    MAX(rv_v) AS rv_max
  FROM rv_l3
  GROUP BY rv_t, rv_k, rv_status, rv_gt, rv_b
)
SELECT
  'receval.auc.v1' AS "stats_schema",
  CASE WHEN rv_k = 0 AND rv_status = 0 THEN 'rows' WHEN rv_k = 0 AND rv_status = 2 THEN 'negative_weight' WHEN rv_k = 0 THEN 'invalid' WHEN rv_t = 1 THEN 'group' ELSE 'bucket' END AS "kind",
  CASE rv_k WHEN 1 THEN 'logit' ELSE '' END AS "score_name",
  CASE WHEN rv_t = 1 THEN rv_gt ELSE '' END AS "grp",
  CAST(rv_b AS BIGINT) AS "bucket",
  CAST(0 AS DOUBLE) AS "score_value",
  CAST(rv_n AS BIGINT) AS "n_rows",
  CAST(rv_pos AS DOUBLE) AS "pos",
  CAST(rv_neg AS DOUBLE) AS "neg",
  CASE WHEN rv_t = 1 THEN CAST(rv_u AS DOUBLE) ELSE CAST(0 AS DOUBLE) END AS "u_stat",
  CASE WHEN rv_k > 0 AND rv_t = 2 THEN CAST(rv_score AS DOUBLE) ELSE CAST(0 AS DOUBLE) END AS "sum_score",
  CASE WHEN rv_k > 0 AND rv_t = 2 THEN CAST(rv_sq_error AS DOUBLE) ELSE CAST(0 AS DOUBLE) END AS "sum_sq_error",
  CASE WHEN rv_k > 0 AND rv_t = 2 THEN CAST(rv_logloss AS DOUBLE) ELSE CAST(0 AS DOUBLE) END AS "sum_logloss",
  CASE WHEN rv_k > 0 AND rv_t = 2 THEN CAST(rv_min AS DOUBLE) ELSE CAST(0 AS DOUBLE) END AS "min_score",
  CASE WHEN rv_k > 0 AND rv_t = 2 THEN CAST(rv_max AS DOUBLE) ELSE CAST(0 AS DOUBLE) END AS "max_score"
FROM rv_agg
UNION ALL
SELECT 'receval.auc.v1' AS "stats_schema", 'meta' AS "kind", 'label' AS "score_name", 'label' AS "grp", CAST(0 AS BIGINT) AS "bucket", CAST(0 AS DOUBLE) AS "score_value", CAST(0 AS BIGINT) AS "n_rows", CAST(0 AS DOUBLE) AS "pos", CAST(0 AS DOUBLE) AS "neg", CAST(0 AS DOUBLE) AS "u_stat", CAST(0 AS DOUBLE) AS "sum_score", CAST(0 AS DOUBLE) AS "sum_sq_error", CAST(0 AS DOUBLE) AS "sum_logloss", CAST(0 AS DOUBLE) AS "min_score", CAST(0 AS DOUBLE) AS "max_score"
UNION ALL
SELECT 'receval.auc.v1' AS "stats_schema", 'meta' AS "kind", 'score' AS "score_name", 'logit' AS "grp", CAST(1 AS BIGINT) AS "bucket", CAST(0 AS DOUBLE) AS "score_value", CAST(0 AS BIGINT) AS "n_rows", CAST(0 AS DOUBLE) AS "pos", CAST(0 AS DOUBLE) AS "neg", CAST(0 AS DOUBLE) AS "u_stat", CAST(0 AS DOUBLE) AS "sum_score", CAST(0 AS DOUBLE) AS "sum_sq_error", CAST(0 AS DOUBLE) AS "sum_logloss", CAST(0 AS DOUBLE) AS "min_score", CAST(0 AS DOUBLE) AS "max_score"
UNION ALL
SELECT 'receval.auc.v1' AS "stats_schema", 'meta' AS "kind", 'group' AS "score_name", 'user_id' AS "grp", CAST(0 AS BIGINT) AS "bucket", CAST(0 AS DOUBLE) AS "score_value", CAST(0 AS BIGINT) AS "n_rows", CAST(0 AS DOUBLE) AS "pos", CAST(0 AS DOUBLE) AS "neg", CAST(0 AS DOUBLE) AS "u_stat", CAST(0 AS DOUBLE) AS "sum_score", CAST(0 AS DOUBLE) AS "sum_sq_error", CAST(0 AS DOUBLE) AS "sum_logloss", CAST(0 AS DOUBLE) AS "min_score", CAST(0 AS DOUBLE) AS "max_score"
UNION ALL
SELECT 'receval.auc.v1' AS "stats_schema", 'meta' AS "kind", 'weight' AS "score_name", '' AS "grp", CAST(0 AS BIGINT) AS "bucket", CAST(0 AS DOUBLE) AS "score_value", CAST(0 AS BIGINT) AS "n_rows", CAST(0 AS DOUBLE) AS "pos", CAST(0 AS DOUBLE) AS "neg", CAST(0 AS DOUBLE) AS "u_stat", CAST(0 AS DOUBLE) AS "sum_score", CAST(0 AS DOUBLE) AS "sum_sq_error", CAST(0 AS DOUBLE) AS "sum_logloss", CAST(0 AS DOUBLE) AS "min_score", CAST(0 AS DOUBLE) AS "max_score"
UNION ALL
SELECT 'receval.auc.v1' AS "stats_schema", 'meta' AS "kind", 'buckets' AS "score_name", '100' AS "grp", CAST(100 AS BIGINT) AS "bucket", CAST(0 AS DOUBLE) AS "score_value", CAST(0 AS BIGINT) AS "n_rows", CAST(0 AS DOUBLE) AS "pos", CAST(0 AS DOUBLE) AS "neg", CAST(0 AS DOUBLE) AS "u_stat", CAST(0 AS DOUBLE) AS "sum_score", CAST(0 AS DOUBLE) AS "sum_sq_error", CAST(0 AS DOUBLE) AS "sum_logloss", CAST(0 AS DOUBLE) AS "min_score", CAST(0 AS DOUBLE) AS "max_score"
UNION ALL
SELECT 'receval.auc.v1' AS "stats_schema", 'meta' AS "kind", 'score_scale' AS "score_name", 'logit' AS "grp", CAST(0 AS BIGINT) AS "bucket", CAST(0 AS DOUBLE) AS "score_value", CAST(0 AS BIGINT) AS "n_rows", CAST(0 AS DOUBLE) AS "pos", CAST(0 AS DOUBLE) AS "neg", CAST(0 AS DOUBLE) AS "u_stat", CAST(0 AS DOUBLE) AS "sum_score", CAST(0 AS DOUBLE) AS "sum_sq_error", CAST(0 AS DOUBLE) AS "sum_logloss", CAST(0 AS DOUBLE) AS "min_score", CAST(0 AS DOUBLE) AS "max_score"
