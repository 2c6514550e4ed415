-- 012_bot_order_price_text: the bot platform's price exactly as written.
-- 3Commas writes average prices with up to 20 decimals (bought_average_price "16859.27000000000000012345"),
-- which DECIMAL(38,18) rounds; price_text keeps the text, as orders.avg_price_text does for KuCoin.
-- NULL for rows stored before this column existed.
ALTER TABLE bot_orders ADD COLUMN price_text VARCHAR;
