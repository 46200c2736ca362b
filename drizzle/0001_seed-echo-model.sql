-- The built-in demo model, so that a fresh install works end to end with no model server.
-- Priced like a small hosted model (1.00 per 1M input tokens, 2.00 per 1M output tokens, in
-- micro-units). `on conflict do nothing`: an admin who disabled or re-priced it keeps that.
INSERT INTO "models" ("name", "base_url", "upstream_model", "input_price_per_million", "output_price_per_million", "max_output_tokens", "enabled")
VALUES ('modelbridge/echo', 'builtin:echo', 'echo', 1000000, 2000000, 1024, true)
ON CONFLICT ("name") DO NOTHING;
