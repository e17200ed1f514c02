// Claims the sources attribute to someone (claimed_by): who claims what, how often.
MATCH ()-[r]->()
WHERE r.claimed_by IS NOT NULL
MATCH (c {id: r.claimed_by})
RETURN c.name AS claimant, type(r) AS relation, count(r) AS claims
ORDER BY claimant, relation
