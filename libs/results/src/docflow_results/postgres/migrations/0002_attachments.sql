-- Attachments split off a message link to it, and are not deduplicated by content: the same
-- file attached to two messages is two documents.
ALTER TABLE documents ADD COLUMN parent_id TEXT;
DROP INDEX documents_tenant_sha256;
CREATE UNIQUE INDEX documents_tenant_sha256 ON documents (tenant, content_sha256)
    WHERE parent_id IS NULL;
CREATE INDEX documents_tenant_parent ON documents (tenant, parent_id, created_at, id)
    WHERE parent_id IS NOT NULL;
