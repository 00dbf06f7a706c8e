-- Ed25519 over the canonical metadata of a version (name, version, sha256, size, format, input
-- schema, quantization): what inference nodes verify before they load a model. Versions stored by
-- an older release get it from the registry at its next start (it holds the signing key).
ALTER TABLE model_versions ADD COLUMN metadata_signature VARCHAR(128);
