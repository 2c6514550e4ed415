-- trace_labels: which addresses carry a label (exchange hot wallet, bridge, mixer, ...), and the label
-- with the highest confidence for each (ties: the entity first by name)?
-- Grain: one row per address (lower-case 0x-hex).
-- Params: chain_id (NULL: labels of every chain; labels with a NULL chain_id apply to every chain).
SELECT address, entity, category, source, confidence
FROM (
    SELECT lower(address) AS address, entity, category, source, confidence,
           row_number() OVER (PARTITION BY lower(address) ORDER BY confidence DESC, entity) AS rn
    FROM address_labels
    WHERE chain_id IS NULL OR $chain_id IS NULL OR chain_id = $chain_id
) x
WHERE rn = 1
