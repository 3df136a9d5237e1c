-- The 2025 merger: each of the 63 old provinces with the one of the 34 it joined.
SELECT m.old_code, o.name_vi AS old_vi, o.name_en AS old_en,
       m.new_code, n.name_vi AS new_vi, n.name_en AS new_en
FROM province_merger m
JOIN m_units o ON o.unit_code = m.old_code AND o.level = 'province' AND o.geo = '2020'
JOIN m_units n ON n.unit_code = m.new_code AND n.level = 'province' AND n.geo = '2025'
ORDER BY m.new_code, m.old_code
