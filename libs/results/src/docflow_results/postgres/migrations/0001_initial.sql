-- The results store: documents, their timelines and their webhook delivery log.
-- Ids are compared byte by byte (COLLATE "C"), as pages are ordered and cursors compared by id:
-- the order then does not depend on the server's locale.

CREATE TABLE documents (
    id TEXT COLLATE "C" PRIMARY KEY,
    tenant TEXT NOT NULL,
    status TEXT NOT NULL,
    run INTEGER NOT NULL DEFAULT 1,
    filename TEXT,
    media_type TEXT NOT NULL,
    content JSONB NOT NULL,
    content_sha256 TEXT NOT NULL,
    document_type_hint TEXT,
    callback_url TEXT,
    metadata JSONB NOT NULL,
    idempotency_key TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    error JSONB,
    result JSONB,
    review JSONB,
    decision JSONB,
    -- The event that brought the document to its status: what re-driving publishes again.
    step JSONB
);

CREATE UNIQUE INDEX documents_tenant_sha256 ON documents (tenant, content_sha256);
CREATE UNIQUE INDEX documents_tenant_idempotency_key
    ON documents (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX documents_tenant_created ON documents (tenant, created_at DESC, id DESC);
CREATE INDEX documents_tenant_status_created
    ON documents (tenant, status, created_at DESC, id DESC);
-- The reconciler's questions (stalled, unannounced) look across tenants by status and age.
CREATE INDEX documents_status_updated ON documents (status, updated_at);

CREATE TABLE events (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_id TEXT COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    status TEXT,
    at TIMESTAMPTZ NOT NULL,
    detail JSONB NOT NULL,
    run INTEGER NOT NULL DEFAULT 1,
    UNIQUE (document_id, event_id)
);

-- Timelines are read in event time, not in the order the tracker happened to see them.
CREATE INDEX events_document_at ON events (document_id, at, seq);

CREATE TABLE webhook_deliveries (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    document_id TEXT COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    status_code INTEGER,
    error TEXT,
    delivered BOOLEAN NOT NULL,
    at TIMESTAMPTZ NOT NULL
);

CREATE INDEX webhook_deliveries_document ON webhook_deliveries (document_id, seq);
