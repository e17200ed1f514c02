// Money flows: who funded whom, how much (US dollars, and per what period), in which year,
// with what the sources say the money was for, and whether it is a forecast or attributed claim.
MATCH (a)-[f:FUNDED]->(b)
RETURN a.name AS payer, b.name AS payee, f.amount_usd AS amount_usd, f.amount_period AS period, f.year AS year,
       f.status AS status, f.claimed_by AS claimed_by, f.role AS what, f.source_id AS source
ORDER BY payer, payee, year, amount_usd, what, source
