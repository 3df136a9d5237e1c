-- One figure's target tracking (the API's /progress).
SELECT p.*, i.unit_vi, i.unit_en, i.aggregation, i.numerator, i.denominator
FROM m_progress p JOIN indicators i ON i.code = p.indicator_code
WHERE p.geo = $geo AND p.indicator_code = $indicator AND p.unit_code = $unit
  AND p.period = $period
