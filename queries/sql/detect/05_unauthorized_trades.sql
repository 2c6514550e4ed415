-- unauthorized_trades: which trades were made by someone other than the account holder, and what did
-- each one cost the victim in USD?
-- Loss definition (also used in the reports): for each unauthorised trade,
--   loss_usd = value given up - fair value received + fee, all in USD at the fair price, where
--   * the fair price of the pair is its median close over the 24 hours before the account's first
--     unauthorised trade in the campaign (anchor_utc; an account attacked in two campaigns months
--     apart gets one anchor per campaign), from another venue's price_bars when there are
--     any, else from any venue's bars, else the median fill price of the pair in the trades of all
--     accounts over those 24 hours;
--   * a buy gives up quote_quantity of the quote asset and receives quantity x fair price;
--     a sell gives up quantity x fair price and receives quote_quantity;
--   * quote amounts become USD at the quote asset's USD rate over the same 24 hours (USD and USD
--     stablecoins count 1; other assets: median close of ASSET/USD(T, C) bars); the fee is converted
--     through the quote rate, the base's fair price or the fee asset's own USD rate.
--   A trade without a fair price or USD rate has a NULL loss (counted in account_losses.unpriced_trades).
-- Precision: quantities are cut to 8 decimals and prices / rates to 18 before multiplying; products
-- are kept at 12 decimals; USD results at 8.
-- Grain: one row per unauthorised trade (exchange, account, evidence_sha256, source_row).
-- Params: $usd_stablecoins (queries/detect.py: assets worth one US dollar; a bar quoted in one prices
--   its base asset in USD).
WITH u AS (
    SELECT s.evidence_sha256, s.source_row, s.score, s.reasons, s.session_id,
           t.exchange, t.account, t.time_utc, t.pair, t.base_asset, t.quote_asset, t.side, t.price,
           t.quantity, t.quote_quantity, t.fee, t.fee_asset,
           ca.campaign_id, an.anchor_utc
    FROM trade_scores s
    JOIN executions t ON t.exchange = s.exchange AND t.account = s.account
                  AND t.evidence_sha256 = s.evidence_sha256 AND t.source_row = s.source_row
    JOIN campaign_accounts ca ON ca.exchange = s.exchange AND ca.account = s.account
                             AND ca.session_id = s.session_id
    JOIN (SELECT campaign_id, exchange, account, min(first_utc) AS anchor_utc
          FROM campaign_accounts GROUP BY campaign_id, exchange, account) an
      ON an.campaign_id = ca.campaign_id AND an.exchange = ca.exchange AND an.account = ca.account
    WHERE s.unauthorized
),
pair_anchors AS (
    SELECT DISTINCT exchange, pair, anchor_utc FROM u
),
bar_fair AS (
    SELECT a.exchange, a.pair, a.anchor_utc,
           coalesce(median(CASE WHEN b.source <> a.exchange THEN b.close END), median(b.close)) AS price
    FROM pair_anchors a
    JOIN price_bars b ON b.pair = a.pair
                     AND b.open_time >= a.anchor_utc - INTERVAL '24' HOUR AND b.open_time < a.anchor_utc
    GROUP BY a.exchange, a.pair, a.anchor_utc
),
tape_fair AS (
    SELECT a.exchange, a.pair, a.anchor_utc, median(t.price) AS price
    FROM pair_anchors a
    JOIN executions t ON t.pair = a.pair AND t.time_utc >= a.anchor_utc - INTERVAL '24' HOUR
                 AND t.time_utc < a.anchor_utc
    GROUP BY a.exchange, a.pair, a.anchor_utc
),
fair AS (
    SELECT a.exchange, a.pair, a.anchor_utc, coalesce(bf.price, tf.price) AS fair_price
    FROM pair_anchors a
    LEFT JOIN bar_fair bf ON bf.exchange = a.exchange AND bf.pair = a.pair AND bf.anchor_utc = a.anchor_utc
    LEFT JOIN tape_fair tf ON tf.exchange = a.exchange AND tf.pair = a.pair AND tf.anchor_utc = a.anchor_utc
),
asset_anchors AS (
    SELECT DISTINCT quote_asset AS asset, anchor_utc FROM u
    UNION
    SELECT DISTINCT fee_asset, anchor_utc FROM u WHERE fee_asset IS NOT NULL
),
usd_rate AS (
    SELECT a.asset, a.anchor_utc,
           CASE WHEN list_contains($usd_stablecoins, a.asset)
                THEN CAST(1 AS DECIMAL(38,18)) ELSE median(b.close) END AS usd
    FROM asset_anchors a
    LEFT JOIN price_bars b ON split_part(b.pair, '/', 1) = a.asset
                          AND list_contains($usd_stablecoins, split_part(b.pair, '/', 2))
                          AND b.open_time >= a.anchor_utc - INTERVAL '24' HOUR AND b.open_time < a.anchor_utc
    GROUP BY a.asset, a.anchor_utc
),
valued AS (
    SELECT u.*, f.fair_price, q.usd AS quote_usd, fr.usd AS fee_asset_usd,
           -- quote-asset amounts at 12 decimals
           CAST(CAST(u.quantity AS DECIMAL(38,8)) * f.fair_price AS DECIMAL(38,12)) AS fair_quote,
           CAST(u.quote_quantity AS DECIMAL(38,12)) AS paid_quote
    FROM u
    LEFT JOIN fair f ON f.exchange = u.exchange AND f.pair = u.pair AND f.anchor_utc = u.anchor_utc
    LEFT JOIN usd_rate q ON q.asset = u.quote_asset AND q.anchor_utc = u.anchor_utc
    LEFT JOIN usd_rate fr ON fr.asset = u.fee_asset AND fr.anchor_utc = u.anchor_utc
),
in_usd AS (
    SELECT v.*,
           CAST(CASE WHEN side = 'buy' THEN paid_quote ELSE fair_quote END
                * CAST(quote_usd AS DECIMAL(38,12)) AS DECIMAL(38,8)) AS given_usd,
           CAST(CASE WHEN side = 'buy' THEN fair_quote ELSE paid_quote END
                * CAST(quote_usd AS DECIMAL(38,12)) AS DECIMAL(38,8)) AS received_usd,
           CAST(CASE WHEN fee IS NULL OR fee = 0 THEN 0
                     WHEN fee_asset = quote_asset THEN CAST(fee AS DECIMAL(38,12)) * CAST(quote_usd AS DECIMAL(38,12))
                     WHEN fee_asset = base_asset THEN
                          CAST(CAST(fee AS DECIMAL(38,8)) * fair_price AS DECIMAL(38,12)) * CAST(quote_usd AS DECIMAL(38,12))
                     ELSE CAST(fee AS DECIMAL(38,12)) * CAST(fee_asset_usd AS DECIMAL(38,12)) END
                AS DECIMAL(38,8)) AS fee_usd
    FROM valued v
)
SELECT exchange, account, evidence_sha256, source_row, time_utc, pair, side, price, quantity, quote_quantity,
       fee, fee_asset, score, reasons, session_id, campaign_id, anchor_utc, fair_price, quote_usd,
       given_usd, received_usd, fee_usd,
       given_usd - received_usd + fee_usd AS loss_usd
FROM in_usd
