-- Keys created before budget periods: their limit counted lifetime spend, which is what period_spend holds for "none".
UPDATE "api_keys" SET "period_spend" = "spend";
