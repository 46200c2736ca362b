-- Every model registered the old way becomes a model with one deployment, whose id is the
-- model's own id (stable, and found again by the legacy one-base-URL API). The credential is
-- copied as stored: still encrypted, never decrypted here.
INSERT INTO "model_deployments" (
  "id", "model_id", "provider", "base_url", "upstream_model", "native_responses",
  "api_key_encrypted", "connect_timeout_ms", "first_byte_timeout_ms", "idle_timeout_ms",
  "created_at", "updated_at"
)
SELECT
  "id", "id", "provider", "base_url", "upstream_model", "native_responses",
  "api_key_encrypted", "connect_timeout_ms", "first_byte_timeout_ms", "idle_timeout_ms",
  "created_at", "updated_at"
FROM "models"
ON CONFLICT ("id") DO NOTHING;
