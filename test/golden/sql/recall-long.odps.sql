WITH rv_ts0 AS (
  SELECT
    COALESCE(CAST(`user_id` AS STRING), '') AS rv_key,
    COALESCE(CAST(`item_id` AS STRING), '') AS rv_item,
    CAST(`bid` AS DOUBLE) AS rv_bid,
    '' AS rv_seg,
    0e0 AS rv_tv
  FROM ads.clicks
),
rv_ts AS (
  SELECT
    rv_key,
    rv_item,
    rv_bid,
    rv_seg,
    rv_tv,
    CASE
      WHEN (rv_bid - rv_bid = 0e0) AND rv_bid < 0e0 THEN 2
      WHEN (rv_bid - rv_bid = 0e0) THEN 0
      ELSE 1
    END AS rv_status
  FROM rv_ts0
),
rv_t1 AS (
  SELECT
    0 AS rv_sc,
    '' AS rv_sg,
    CASE WHEN rv_status = 0 THEN rv_key ELSE '' END AS rv_tk,
    CASE WHEN rv_status = 0 THEN rv_item ELSE '' END AS rv_ti,
    rv_bid,
    rv_tv,
    rv_status
  FROM rv_ts
),
rv_tg AS (
  SELECT
    rv_status,
    rv_sc,
    rv_sg,
    rv_tk,
    rv_ti,
    COUNT(*) AS rv_tgn,
    SUM(rv_bid) AS rv_ib,
    MIN(rv_tv) AS rv_tm
  FROM rv_t1
  GROUP BY rv_status, rv_sc, rv_sg, rv_tk, rv_ti
),
rv_tq AS (
  SELECT
    rv_sc,
    rv_sg,
    rv_tk,
    rv_ti,
    rv_tgn,
    rv_ib,
    0 AS rv_tp
  FROM rv_tg
  WHERE rv_status = 0
),
rv_tu AS (
  SELECT
    rv_sc,
    rv_sg,
    rv_tk,
    COUNT(*) AS rv_nd,
    SUM(rv_ib) AS rv_tb,
    SUM(rv_tgn) AS rv_tr
  FROM rv_tq
  GROUP BY rv_sc, rv_sg, rv_tk
),
rv_tuk AS (
  SELECT
    rv_sc,
    rv_sg,
    rv_tk,
    rv_k,
    rv_nd AS rv_nt,
    rv_tb AS rv_tbk
  FROM rv_tu LATERAL VIEW explode(array(10, 50)) rv_k_list AS rv_k
),
rv_ev AS (
  SELECT
    rv_tk AS rv_ek
  FROM rv_tu
  WHERE rv_sc = 0
),
rv_rs0 AS (
  SELECT
    1 AS rv_r,
    COALESCE(CAST(`user_id` AS STRING), '') AS rv_key,
    COALESCE(CAST(`item_id` AS STRING), '') AS rv_item,
    -CAST(`score` AS DOUBLE) AS rv_v
  FROM ads.retrieved
),
rv_rs AS (
  SELECT
    rv_r,
    CASE WHEN (rv_v - rv_v = 0e0) THEN 0 ELSE 1 END AS rv_status,
    CASE WHEN (rv_v - rv_v = 0e0) THEN rv_key ELSE '' END AS rv_gk,
    CASE WHEN (rv_v - rv_v = 0e0) THEN rv_item ELSE '' END AS rv_gi,
    rv_v
  FROM rv_rs0
),
rv_rg AS (
  SELECT
    rv_r,
    rv_status,
    rv_gk,
    rv_gi,
    COUNT(*) AS rv_rgn,
    MIN(rv_v) AS rv_bv
  FROM rv_rs
  GROUP BY rv_r, rv_status, rv_gk, rv_gi
),
rv_rp AS (
  SELECT
    rv_j1.rv_r,
    rv_j1.rv_gk,
    rv_j1.rv_gi,
    rv_j1.rv_rgn,
    rv_j1.rv_bv,
    0 AS rv_ex,
    CASE WHEN rv_j3.rv_ek IS NULL THEN 0 ELSE 1 END AS rv_e
  FROM rv_rg rv_j1
  LEFT JOIN rv_ev rv_j3 ON rv_j1.rv_gk = rv_j3.rv_ek
  WHERE rv_j1.rv_status = 0
),
rv_rl AS (
  SELECT
    rv_r,
    rv_gk,
    rv_gi,
    rv_bv,
    rv_ex,
    ROW_NUMBER() OVER (PARTITION BY rv_r, rv_gk ORDER BY rv_ex, rv_bv, rv_gi) AS rv_pos,
    LEAD(CASE WHEN rv_ex = 0 THEN rv_bv ELSE NULL END) OVER (PARTITION BY rv_r, rv_gk ORDER BY rv_ex, rv_bv, rv_gi) AS rv_nx
  FROM rv_rp
  WHERE rv_e = 1
),
rv_rk AS (
  SELECT
    rv_r,
    rv_gk,
    rv_e,
    SUM(rv_rgn) AS rv_kr,
    SUM(rv_ex * rv_rgn) AS rv_kx,
    SUM((1 - rv_ex) * (rv_rgn - 1)) AS rv_kd
  FROM rv_rp
  GROUP BY rv_r, rv_gk, rv_e
),
rv_te AS (
  SELECT
    rv_r,
    rv_gk,
    rv_pos AS rv_tpos,
    1 AS rv_tie
  FROM rv_rl
  WHERE rv_ex = 0 AND rv_pos IN (10, 50) AND rv_nx = rv_bv
),
rv_h AS (
  SELECT
    rv_j1.rv_r,
    rv_j2.rv_sc,
    rv_j2.rv_sg,
    rv_j1.rv_gk,
    rv_j1.rv_pos,
    rv_j2.rv_tp,
    rv_j2.rv_ib
  FROM rv_rl rv_j1
  JOIN rv_tq rv_j2 ON rv_j1.rv_gk = rv_j2.rv_tk AND rv_j1.rv_gi = rv_j2.rv_ti
  WHERE rv_j1.rv_ex = 0 AND rv_j1.rv_pos <= 50
),
rv_hk AS (
  SELECT
    rv_r,
    rv_sc,
    rv_sg,
    rv_gk,
    rv_k,
    rv_pos,
    rv_ib,
    ROW_NUMBER() OVER (PARTITION BY rv_r, rv_sc, rv_sg, rv_gk, rv_k ORDER BY rv_pos) AS rv_hi
  FROM rv_h LATERAL VIEW explode(array(10, 50)) rv_k_list AS rv_k
  WHERE rv_pos <= rv_k AND rv_tp <= rv_k
),
rv_hs AS (
  SELECT
    rv_r,
    rv_sc,
    rv_sg,
    rv_gk,
    rv_k,
    COUNT(*) AS rv_nh,
    SUM(LN(2e0) / LN(CAST(rv_pos AS DOUBLE) + 1e0)) AS rv_dcg,
    SUM(CAST(rv_hi AS DOUBLE) / CAST(rv_pos AS DOUBLE)) AS rv_ap,
    MIN(rv_pos) AS rv_fh,
    SUM(rv_ib) AS rv_hb
  FROM rv_hk
  GROUP BY rv_r, rv_sc, rv_sg, rv_gk, rv_k
),
rv_uk AS (
  SELECT
    1 AS rv_r,
    rv_sc,
    rv_sg,
    rv_tk,
    rv_k,
    rv_nt,
    rv_tbk
  FROM rv_tuk
),
rv_uf AS (
  SELECT
    rv_j1.rv_r,
    rv_j1.rv_sc,
    rv_j1.rv_sg,
    rv_j1.rv_tk,
    rv_j1.rv_k,
    rv_j1.rv_nt,
    rv_j1.rv_tbk,
    COALESCE(rv_j3.rv_kr, 0) AS rv_ur,
    COALESCE(rv_j2.rv_nh, 0) AS rv_uh,
    COALESCE(rv_j2.rv_hb, 0e0) AS rv_uhb,
    COALESCE(rv_j2.rv_dcg, 0e0) AS rv_udcg,
    COALESCE(rv_j2.rv_ap, 0e0) AS rv_uap,
    COALESCE(rv_j2.rv_fh, 0) AS rv_ufh,
    CASE WHEN rv_j1.rv_sc = 0 THEN COALESCE(rv_j4.rv_tie, 0) ELSE 0 END AS rv_ut
  FROM rv_uk rv_j1
  LEFT JOIN rv_hs rv_j2 ON rv_j1.rv_r = rv_j2.rv_r AND rv_j1.rv_sc = rv_j2.rv_sc AND rv_j1.rv_sg = rv_j2.rv_sg AND rv_j1.rv_tk = rv_j2.rv_gk AND rv_j1.rv_k = rv_j2.rv_k
  LEFT JOIN rv_rk rv_j3 ON rv_j1.rv_r = rv_j3.rv_r AND rv_j1.rv_tk = rv_j3.rv_gk
  LEFT JOIN rv_te rv_j4 ON rv_j1.rv_r = rv_j4.rv_r AND rv_j1.rv_tk = rv_j4.rv_gk AND rv_j1.rv_k = rv_j4.rv_tpos
),
rv_tt AS (
  SELECT
    rv_sc,
    rv_sg,
    COUNT(*) AS rv_tnk,
    SUM(rv_tr) AS rv_tnr
  FROM rv_tu
  GROUP BY rv_sc, rv_sg
),
rv_rt1 AS (
  SELECT
    rv_r,
    SUM(rv_kr) AS rv_sr,
    SUM(rv_e * rv_kx) AS rv_sx,
    SUM(rv_e * rv_kd) AS rv_sd
  FROM rv_rk
  GROUP BY rv_r
),
rv_ipos AS (
  SELECT
    rv_r,
    rv_gi,
    CAST(NULL AS BIGINT) AS rv_ip
  FROM rv_rp
  WHERE rv_e = 0
  UNION ALL
  SELECT
    rv_r,
    rv_gi,
    CASE WHEN rv_ex = 0 AND rv_pos <= 50 THEN rv_pos ELSE NULL END AS rv_ip
  FROM rv_rl
),
rv_it AS (
  SELECT
    rv_r,
    rv_gi,
    MIN(rv_ip) AS rv_mp
  FROM rv_ipos
  GROUP BY rv_r, rv_gi
),
rv_rt2 AS (
  SELECT
    rv_r,
    COUNT(*) AS rv_sn
  FROM rv_it
  GROUP BY rv_r
),
rv_rt AS (
  SELECT
    rv_j1.rv_r,
    rv_j1.rv_sr,
    rv_j1.rv_sx,
    rv_j1.rv_sd,
    rv_j2.rv_sn
  FROM rv_rt1 rv_j1
  JOIN rv_rt2 rv_j2 ON rv_j1.rv_r = rv_j2.rv_r
)
SELECT
  'receval.recall.v1' AS `stats_schema`,
  CASE WHEN rv_sc = 0 THEN 'unit' ELSE 'segment_unit' END AS `kind`,
  CASE rv_r WHEN 1 THEN 'retrieved' ELSE '' END AS `retriever`,
  rv_sg AS `segment`,
  rv_tk AS `key`,
  '' AS `item`,
  CAST(rv_k AS BIGINT) AS `k`,
  CAST(rv_ur AS BIGINT) AS `n_rows`,
  CAST(0 AS BIGINT) AS `n_keys`,
  CAST(0 AS BIGINT) AS `n_items`,
  CAST(rv_nt AS BIGINT) AS `n_truth`,
  CAST(rv_uh AS BIGINT) AS `n_hits`,
  CAST(rv_uhb AS DOUBLE) AS `hit_bid`,
  CAST(rv_tbk AS DOUBLE) AS `truth_bid`,
  CAST(rv_udcg AS DOUBLE) AS `dcg`,
  CAST(rv_uap AS DOUBLE) AS `ap_sum`,
  CAST(rv_ufh AS BIGINT) AS `first_hit`,
  CAST(rv_ut AS BIGINT) AS `tie`,
  CAST(0 AS BIGINT) AS `position`,
  CAST(0 AS BIGINT) AS `excluded_rows`,
  CAST(0 AS BIGINT) AS `duplicate_rows`
FROM rv_uf
UNION ALL
SELECT
  'receval.recall.v1' AS `stats_schema`,
  'item' AS `kind`,
  CASE rv_r WHEN 1 THEN 'retrieved' ELSE '' END AS `retriever`,
  '' AS `segment`,
  '' AS `key`,
  rv_gi AS `item`,
  CAST(0 AS BIGINT) AS `k`,
  CAST(0 AS BIGINT) AS `n_rows`,
  CAST(0 AS BIGINT) AS `n_keys`,
  CAST(0 AS BIGINT) AS `n_items`,
  CAST(0 AS BIGINT) AS `n_truth`,
  CAST(0 AS BIGINT) AS `n_hits`,
  CAST(0 AS DOUBLE) AS `hit_bid`,
  CAST(0 AS DOUBLE) AS `truth_bid`,
  CAST(0 AS DOUBLE) AS `dcg`,
  CAST(0 AS DOUBLE) AS `ap_sum`,
  CAST(0 AS BIGINT) AS `first_hit`,
  CAST(0 AS BIGINT) AS `tie`,
  CAST(COALESCE(rv_mp, 0) AS BIGINT) AS `position`,
  CAST(0 AS BIGINT) AS `excluded_rows`,
  CAST(0 AS BIGINT) AS `duplicate_rows`
FROM rv_it
UNION ALL
SELECT
  'receval.recall.v1' AS `stats_schema`,
  CASE WHEN rv_sc = 0 THEN 'truth' ELSE 'segment_truth' END AS `kind`,
  '' AS `retriever`,
  rv_sg AS `segment`,
  '' AS `key`,
  '' AS `item`,
  CAST(0 AS BIGINT) AS `k`,
  CAST(rv_tnr AS BIGINT) AS `n_rows`,
  CAST(rv_tnk AS BIGINT) AS `n_keys`,
  CAST(0 AS BIGINT) AS `n_items`,
  CAST(0 AS BIGINT) AS `n_truth`,
  CAST(0 AS BIGINT) AS `n_hits`,
  CAST(0 AS DOUBLE) AS `hit_bid`,
  CAST(0 AS DOUBLE) AS `truth_bid`,
  CAST(0 AS DOUBLE) AS `dcg`,
  CAST(0 AS DOUBLE) AS `ap_sum`,
  CAST(0 AS BIGINT) AS `first_hit`,
  CAST(0 AS BIGINT) AS `tie`,
  CAST(0 AS BIGINT) AS `position`,
  CAST(0 AS BIGINT) AS `excluded_rows`,
  CAST(0 AS BIGINT) AS `duplicate_rows`
FROM rv_tt
UNION ALL
SELECT
  'receval.recall.v1' AS `stats_schema`,
  'retrieved' AS `kind`,
  CASE rv_r WHEN 1 THEN 'retrieved' ELSE '' END AS `retriever`,
  '' AS `segment`,
  '' AS `key`,
  '' AS `item`,
  CAST(0 AS BIGINT) AS `k`,
  CAST(rv_sr AS BIGINT) AS `n_rows`,
  CAST(0 AS BIGINT) AS `n_keys`,
  CAST(rv_sn AS BIGINT) AS `n_items`,
  CAST(0 AS BIGINT) AS `n_truth`,
  CAST(0 AS BIGINT) AS `n_hits`,
  CAST(0 AS DOUBLE) AS `hit_bid`,
  CAST(0 AS DOUBLE) AS `truth_bid`,
  CAST(0 AS DOUBLE) AS `dcg`,
  CAST(0 AS DOUBLE) AS `ap_sum`,
  CAST(0 AS BIGINT) AS `first_hit`,
  CAST(0 AS BIGINT) AS `tie`,
  CAST(0 AS BIGINT) AS `position`,
  CAST(rv_sx AS BIGINT) AS `excluded_rows`,
  CAST(rv_sd AS BIGINT) AS `duplicate_rows`
FROM rv_rt
UNION ALL
SELECT
  'receval.recall.v1' AS `stats_schema`,
  CASE WHEN rv_status = 2 THEN 'negative_bid' ELSE 'invalid' END AS `kind`,
  '' AS `retriever`,
  '' AS `segment`,
  '' AS `key`,
  '' AS `item`,
  CAST(0 AS BIGINT) AS `k`,
  CAST(rv_tgn AS BIGINT) AS `n_rows`,
  CAST(0 AS BIGINT) AS `n_keys`,
  CAST(0 AS BIGINT) AS `n_items`,
  CAST(0 AS BIGINT) AS `n_truth`,
  CAST(0 AS BIGINT) AS `n_hits`,
  CAST(0 AS DOUBLE) AS `hit_bid`,
  CAST(0 AS DOUBLE) AS `truth_bid`,
  CAST(0 AS DOUBLE) AS `dcg`,
  CAST(0 AS DOUBLE) AS `ap_sum`,
  CAST(0 AS BIGINT) AS `first_hit`,
  CAST(0 AS BIGINT) AS `tie`,
  CAST(0 AS BIGINT) AS `position`,
  CAST(0 AS BIGINT) AS `excluded_rows`,
  CAST(0 AS BIGINT) AS `duplicate_rows`
FROM rv_tg
WHERE rv_status <> 0 AND rv_sc = 0
UNION ALL
SELECT
  'receval.recall.v1' AS `stats_schema`,
  'invalid' AS `kind`,
  CASE rv_r WHEN 1 THEN 'retrieved' ELSE '' END AS `retriever`,
  '' AS `segment`,
  '' AS `key`,
  '' AS `item`,
  CAST(0 AS BIGINT) AS `k`,
  CAST(rv_rgn AS BIGINT) AS `n_rows`,
  CAST(0 AS BIGINT) AS `n_keys`,
  CAST(0 AS BIGINT) AS `n_items`,
  CAST(0 AS BIGINT) AS `n_truth`,
  CAST(0 AS BIGINT) AS `n_hits`,
  CAST(0 AS DOUBLE) AS `hit_bid`,
  CAST(0 AS DOUBLE) AS `truth_bid`,
  CAST(0 AS DOUBLE) AS `dcg`,
  CAST(0 AS DOUBLE) AS `ap_sum`,
  CAST(0 AS BIGINT) AS `first_hit`,
  CAST(0 AS BIGINT) AS `tie`,
  CAST(0 AS BIGINT) AS `position`,
  CAST(0 AS BIGINT) AS `excluded_rows`,
  CAST(0 AS BIGINT) AS `duplicate_rows`
FROM rv_rg
WHERE rv_status <> 0
UNION ALL
SELECT 'receval.recall.v1' AS `stats_schema`, 'meta' AS `kind`, '' AS `retriever`, '' AS `segment`, 'mode' AS `key`, 'files' AS `item`, CAST(0 AS BIGINT) AS `k`, CAST(0 AS BIGINT) AS `n_rows`, CAST(0 AS BIGINT) AS `n_keys`, CAST(0 AS BIGINT) AS `n_items`, CAST(0 AS BIGINT) AS `n_truth`, CAST(0 AS BIGINT) AS `n_hits`, CAST(0 AS DOUBLE) AS `hit_bid`, CAST(0 AS DOUBLE) AS `truth_bid`, CAST(0 AS DOUBLE) AS `dcg`, CAST(0 AS DOUBLE) AS `ap_sum`, CAST(0 AS BIGINT) AS `first_hit`, CAST(0 AS BIGINT) AS `tie`, CAST(0 AS BIGINT) AS `position`, CAST(0 AS BIGINT) AS `excluded_rows`, CAST(0 AS BIGINT) AS `duplicate_rows`
UNION ALL
SELECT 'receval.recall.v1' AS `stats_schema`, 'meta' AS `kind`, '' AS `retriever`, '' AS `segment`, 'truth_top' AS `key`, 'false' AS `item`, CAST(0 AS BIGINT) AS `k`, CAST(0 AS BIGINT) AS `n_rows`, CAST(0 AS BIGINT) AS `n_keys`, CAST(0 AS BIGINT) AS `n_items`, CAST(0 AS BIGINT) AS `n_truth`, CAST(0 AS BIGINT) AS `n_hits`, CAST(0 AS DOUBLE) AS `hit_bid`, CAST(0 AS DOUBLE) AS `truth_bid`, CAST(0 AS DOUBLE) AS `dcg`, CAST(0 AS DOUBLE) AS `ap_sum`, CAST(0 AS BIGINT) AS `first_hit`, CAST(0 AS BIGINT) AS `tie`, CAST(0 AS BIGINT) AS `position`, CAST(0 AS BIGINT) AS `excluded_rows`, CAST(0 AS BIGINT) AS `duplicate_rows`
UNION ALL
SELECT 'receval.recall.v1' AS `stats_schema`, 'meta' AS `kind`, '' AS `retriever`, '' AS `segment`, 'k' AS `key`, '10' AS `item`, CAST(10 AS BIGINT) AS `k`, CAST(0 AS BIGINT) AS `n_rows`, CAST(0 AS BIGINT) AS `n_keys`, CAST(0 AS BIGINT) AS `n_items`, CAST(0 AS BIGINT) AS `n_truth`, CAST(0 AS BIGINT) AS `n_hits`, CAST(0 AS DOUBLE) AS `hit_bid`, CAST(0 AS DOUBLE) AS `truth_bid`, CAST(0 AS DOUBLE) AS `dcg`, CAST(0 AS DOUBLE) AS `ap_sum`, CAST(0 AS BIGINT) AS `first_hit`, CAST(0 AS BIGINT) AS `tie`, CAST(0 AS BIGINT) AS `position`, CAST(0 AS BIGINT) AS `excluded_rows`, CAST(0 AS BIGINT) AS `duplicate_rows`
UNION ALL
SELECT 'receval.recall.v1' AS `stats_schema`, 'meta' AS `kind`, '' AS `retriever`, '' AS `segment`, 'k' AS `key`, '50' AS `item`, CAST(50 AS BIGINT) AS `k`, CAST(0 AS BIGINT) AS `n_rows`, CAST(0 AS BIGINT) AS `n_keys`, CAST(0 AS BIGINT) AS `n_items`, CAST(0 AS BIGINT) AS `n_truth`, CAST(0 AS BIGINT) AS `n_hits`, CAST(0 AS DOUBLE) AS `hit_bid`, CAST(0 AS DOUBLE) AS `truth_bid`, CAST(0 AS DOUBLE) AS `dcg`, CAST(0 AS DOUBLE) AS `ap_sum`, CAST(0 AS BIGINT) AS `first_hit`, CAST(0 AS BIGINT) AS `tie`, CAST(0 AS BIGINT) AS `position`, CAST(0 AS BIGINT) AS `excluded_rows`, CAST(0 AS BIGINT) AS `duplicate_rows`
UNION ALL
SELECT 'receval.recall.v1' AS `stats_schema`, 'meta' AS `kind`, '' AS `retriever`, '' AS `segment`, 'retriever' AS `key`, 'retrieved' AS `item`, CAST(1 AS BIGINT) AS `k`, CAST(0 AS BIGINT) AS `n_rows`, CAST(0 AS BIGINT) AS `n_keys`, CAST(0 AS BIGINT) AS `n_items`, CAST(0 AS BIGINT) AS `n_truth`, CAST(0 AS BIGINT) AS `n_hits`, CAST(0 AS DOUBLE) AS `hit_bid`, CAST(0 AS DOUBLE) AS `truth_bid`, CAST(0 AS DOUBLE) AS `dcg`, CAST(0 AS DOUBLE) AS `ap_sum`, CAST(0 AS BIGINT) AS `first_hit`, CAST(0 AS BIGINT) AS `tie`, CAST(0 AS BIGINT) AS `position`, CAST(0 AS BIGINT) AS `excluded_rows`, CAST(0 AS BIGINT) AS `duplicate_rows`
UNION ALL
SELECT 'receval.recall.v1' AS `stats_schema`, 'meta' AS `kind`, '' AS `retriever`, '' AS `segment`, 'retriever_table' AS `key`, 'ads.retrieved' AS `item`, CAST(1 AS BIGINT) AS `k`, CAST(0 AS BIGINT) AS `n_rows`, CAST(0 AS BIGINT) AS `n_keys`, CAST(0 AS BIGINT) AS `n_items`, CAST(0 AS BIGINT) AS `n_truth`, CAST(0 AS BIGINT) AS `n_hits`, CAST(0 AS DOUBLE) AS `hit_bid`, CAST(0 AS DOUBLE) AS `truth_bid`, CAST(0 AS DOUBLE) AS `dcg`, CAST(0 AS DOUBLE) AS `ap_sum`, CAST(0 AS BIGINT) AS `first_hit`, CAST(0 AS BIGINT) AS `tie`, CAST(0 AS BIGINT) AS `position`, CAST(0 AS BIGINT) AS `excluded_rows`, CAST(0 AS BIGINT) AS `duplicate_rows`
UNION ALL
SELECT 'receval.recall.v1' AS `stats_schema`, 'meta' AS `kind`, '' AS `retriever`, '' AS `segment`, 'truth_table' AS `key`, 'ads.clicks' AS `item`, CAST(0 AS BIGINT) AS `k`, CAST(0 AS BIGINT) AS `n_rows`, CAST(0 AS BIGINT) AS `n_keys`, CAST(0 AS BIGINT) AS `n_items`, CAST(0 AS BIGINT) AS `n_truth`, CAST(0 AS BIGINT) AS `n_hits`, CAST(0 AS DOUBLE) AS `hit_bid`, CAST(0 AS DOUBLE) AS `truth_bid`, CAST(0 AS DOUBLE) AS `dcg`, CAST(0 AS DOUBLE) AS `ap_sum`, CAST(0 AS BIGINT) AS `first_hit`, CAST(0 AS BIGINT) AS `tie`, CAST(0 AS BIGINT) AS `position`, CAST(0 AS BIGINT) AS `excluded_rows`, CAST(0 AS BIGINT) AS `duplicate_rows`
UNION ALL
SELECT 'receval.recall.v1' AS `stats_schema`, 'meta' AS `kind`, '' AS `retriever`, '' AS `segment`, 'exclude_table' AS `key`, '' AS `item`, CAST(0 AS BIGINT) AS `k`, CAST(0 AS BIGINT) AS `n_rows`, CAST(0 AS BIGINT) AS `n_keys`, CAST(0 AS BIGINT) AS `n_items`, CAST(0 AS BIGINT) AS `n_truth`, CAST(0 AS BIGINT) AS `n_hits`, CAST(0 AS DOUBLE) AS `hit_bid`, CAST(0 AS DOUBLE) AS `truth_bid`, CAST(0 AS DOUBLE) AS `dcg`, CAST(0 AS DOUBLE) AS `ap_sum`, CAST(0 AS BIGINT) AS `first_hit`, CAST(0 AS BIGINT) AS `tie`, CAST(0 AS BIGINT) AS `position`, CAST(0 AS BIGINT) AS `excluded_rows`, CAST(0 AS BIGINT) AS `duplicate_rows`
UNION ALL
SELECT 'receval.recall.v1' AS `stats_schema`, 'meta' AS `kind`, '' AS `retriever`, '' AS `segment`, 'order' AS `key`, 'score' AS `item`, CAST(0 AS BIGINT) AS `k`, CAST(0 AS BIGINT) AS `n_rows`, CAST(0 AS BIGINT) AS `n_keys`, CAST(0 AS BIGINT) AS `n_items`, CAST(0 AS BIGINT) AS `n_truth`, CAST(0 AS BIGINT) AS `n_hits`, CAST(0 AS DOUBLE) AS `hit_bid`, CAST(0 AS DOUBLE) AS `truth_bid`, CAST(0 AS DOUBLE) AS `dcg`, CAST(0 AS DOUBLE) AS `ap_sum`, CAST(0 AS BIGINT) AS `first_hit`, CAST(0 AS BIGINT) AS `tie`, CAST(0 AS BIGINT) AS `position`, CAST(0 AS BIGINT) AS `excluded_rows`, CAST(0 AS BIGINT) AS `duplicate_rows`
UNION ALL
SELECT 'receval.recall.v1' AS `stats_schema`, 'meta' AS `kind`, '' AS `retriever`, '' AS `segment`, 'tiebreak' AS `key`, 'item' AS `item`, CAST(0 AS BIGINT) AS `k`, CAST(0 AS BIGINT) AS `n_rows`, CAST(0 AS BIGINT) AS `n_keys`, CAST(0 AS BIGINT) AS `n_items`, CAST(0 AS BIGINT) AS `n_truth`, CAST(0 AS BIGINT) AS `n_hits`, CAST(0 AS DOUBLE) AS `hit_bid`, CAST(0 AS DOUBLE) AS `truth_bid`, CAST(0 AS DOUBLE) AS `dcg`, CAST(0 AS DOUBLE) AS `ap_sum`, CAST(0 AS BIGINT) AS `first_hit`, CAST(0 AS BIGINT) AS `tie`, CAST(0 AS BIGINT) AS `position`, CAST(0 AS BIGINT) AS `excluded_rows`, CAST(0 AS BIGINT) AS `duplicate_rows`
UNION ALL
SELECT 'receval.recall.v1' AS `stats_schema`, 'meta' AS `kind`, '' AS `retriever`, '' AS `segment`, 'coverage' AS `key`, 'true' AS `item`, CAST(0 AS BIGINT) AS `k`, CAST(0 AS BIGINT) AS `n_rows`, CAST(0 AS BIGINT) AS `n_keys`, CAST(0 AS BIGINT) AS `n_items`, CAST(0 AS BIGINT) AS `n_truth`, CAST(0 AS BIGINT) AS `n_hits`, CAST(0 AS DOUBLE) AS `hit_bid`, CAST(0 AS DOUBLE) AS `truth_bid`, CAST(0 AS DOUBLE) AS `dcg`, CAST(0 AS DOUBLE) AS `ap_sum`, CAST(0 AS BIGINT) AS `first_hit`, CAST(0 AS BIGINT) AS `tie`, CAST(0 AS BIGINT) AS `position`, CAST(0 AS BIGINT) AS `excluded_rows`, CAST(0 AS BIGINT) AS `duplicate_rows`
UNION ALL
SELECT 'receval.recall.v1' AS `stats_schema`, 'meta' AS `kind`, '' AS `retriever`, '' AS `segment`, 'column.by' AS `key`, 'user_id' AS `item`, CAST(0 AS BIGINT) AS `k`, CAST(0 AS BIGINT) AS `n_rows`, CAST(0 AS BIGINT) AS `n_keys`, CAST(0 AS BIGINT) AS `n_items`, CAST(0 AS BIGINT) AS `n_truth`, CAST(0 AS BIGINT) AS `n_hits`, CAST(0 AS DOUBLE) AS `hit_bid`, CAST(0 AS DOUBLE) AS `truth_bid`, CAST(0 AS DOUBLE) AS `dcg`, CAST(0 AS DOUBLE) AS `ap_sum`, CAST(0 AS BIGINT) AS `first_hit`, CAST(0 AS BIGINT) AS `tie`, CAST(0 AS BIGINT) AS `position`, CAST(0 AS BIGINT) AS `excluded_rows`, CAST(0 AS BIGINT) AS `duplicate_rows`
UNION ALL
SELECT 'receval.recall.v1' AS `stats_schema`, 'meta' AS `kind`, '' AS `retriever`, '' AS `segment`, 'column.item' AS `key`, 'item_id' AS `item`, CAST(0 AS BIGINT) AS `k`, CAST(0 AS BIGINT) AS `n_rows`, CAST(0 AS BIGINT) AS `n_keys`, CAST(0 AS BIGINT) AS `n_items`, CAST(0 AS BIGINT) AS `n_truth`, CAST(0 AS BIGINT) AS `n_hits`, CAST(0 AS DOUBLE) AS `hit_bid`, CAST(0 AS DOUBLE) AS `truth_bid`, CAST(0 AS DOUBLE) AS `dcg`, CAST(0 AS DOUBLE) AS `ap_sum`, CAST(0 AS BIGINT) AS `first_hit`, CAST(0 AS BIGINT) AS `tie`, CAST(0 AS BIGINT) AS `position`, CAST(0 AS BIGINT) AS `excluded_rows`, CAST(0 AS BIGINT) AS `duplicate_rows`
UNION ALL
SELECT 'receval.recall.v1' AS `stats_schema`, 'meta' AS `kind`, '' AS `retriever`, '' AS `segment`, 'column.score' AS `key`, 'score' AS `item`, CAST(0 AS BIGINT) AS `k`, CAST(0 AS BIGINT) AS `n_rows`, CAST(0 AS BIGINT) AS `n_keys`, CAST(0 AS BIGINT) AS `n_items`, CAST(0 AS BIGINT) AS `n_truth`, CAST(0 AS BIGINT) AS `n_hits`, CAST(0 AS DOUBLE) AS `hit_bid`, CAST(0 AS DOUBLE) AS `truth_bid`, CAST(0 AS DOUBLE) AS `dcg`, CAST(0 AS DOUBLE) AS `ap_sum`, CAST(0 AS BIGINT) AS `first_hit`, CAST(0 AS BIGINT) AS `tie`, CAST(0 AS BIGINT) AS `position`, CAST(0 AS BIGINT) AS `excluded_rows`, CAST(0 AS BIGINT) AS `duplicate_rows`
UNION ALL
SELECT 'receval.recall.v1' AS `stats_schema`, 'meta' AS `kind`, '' AS `retriever`, '' AS `segment`, 'column.bid' AS `key`, 'bid' AS `item`, CAST(0 AS BIGINT) AS `k`, CAST(0 AS BIGINT) AS `n_rows`, CAST(0 AS BIGINT) AS `n_keys`, CAST(0 AS BIGINT) AS `n_items`, CAST(0 AS BIGINT) AS `n_truth`, CAST(0 AS BIGINT) AS `n_hits`, CAST(0 AS DOUBLE) AS `hit_bid`, CAST(0 AS DOUBLE) AS `truth_bid`, CAST(0 AS DOUBLE) AS `dcg`, CAST(0 AS DOUBLE) AS `ap_sum`, CAST(0 AS BIGINT) AS `first_hit`, CAST(0 AS BIGINT) AS `tie`, CAST(0 AS BIGINT) AS `position`, CAST(0 AS BIGINT) AS `excluded_rows`, CAST(0 AS BIGINT) AS `duplicate_rows`
