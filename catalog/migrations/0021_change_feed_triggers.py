"""The change feed (catalog.models.CatalogChange), written by the database for every write path.

- ``catalog_change_record``: an immediate row trigger on every catalog fact table records the entity the row belongs
  to (a pin's device, a source's document, a crimp row's pairing) once per transaction, with the partner account
  the application names in the transaction-local setting ``catalog.author_account`` (catalog.history).
- ``catalog_state_bump`` (migration 0007, replaced here) raises the catalog version at commit as before, then
  stamps the transaction's change rows with that version and, when a webhook endpoint is active, queues one
  dispatch job for the worker (Procrastinate's ``procrastinate_defer_jobs_v1``): the change, its feed rows and
  the job that tells partners about it commit together, or not at all.
"""

from django.db import migrations

TABLES = (
    "catalog_device",
    "catalog_deviceprotocol",
    "catalog_dipswitch",
    "catalog_dipswitchbank",
    "catalog_document",
    "catalog_documentedpairing",
    "catalog_manufacturer",
    "catalog_note",
    "catalog_pairingconductor",
    "catalog_pinassignment",
    "catalog_port",
    "catalog_protocol",
    "catalog_setting",
    "catalog_source",
)

RECORD = """
CREATE FUNCTION catalog_change_upsert(p_entity text, p_key text, p_kind text) RETURNS void AS $$
BEGIN
    IF p_key IS NULL THEN
        RETURN;  -- the row's parent is already gone (a cascade): the parent's own deletion is recorded
    END IF;
    INSERT INTO catalog_catalogchange (entity, key, kind, version, transaction, account_id, changed_at)
        VALUES (p_entity, p_key, p_kind, NULL, txid_current(),
                nullif(current_setting('catalog.author_account', true), '')::bigint, now())
    ON CONFLICT (transaction, entity, key) DO UPDATE SET kind = CASE
        WHEN EXCLUDED.kind = 'deleted' THEN 'deleted'
        WHEN catalog_catalogchange.kind = 'deleted' THEN 'updated'
        ELSE catalog_catalogchange.kind
    END;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION catalog_change_record() RETURNS trigger AS $$
DECLARE
    new_row jsonb := CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) END;
    old_row jsonb := CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) END;
    r jsonb := coalesce(new_row, old_row);
    entity text;
    key_name text;
    parent text;
BEGIN
    IF TG_TABLE_NAME IN ('catalog_device', 'catalog_documentedpairing', 'catalog_protocol',
                         'catalog_manufacturer', 'catalog_document') THEN
        entity := CASE TG_TABLE_NAME
            WHEN 'catalog_device' THEN 'device' WHEN 'catalog_documentedpairing' THEN 'pairing'
            WHEN 'catalog_protocol' THEN 'protocol' WHEN 'catalog_manufacturer' THEN 'manufacturer'
            ELSE 'document' END;
        key_name := CASE WHEN entity = 'document' THEN 'key' ELSE 'slug' END;
        IF TG_OP = 'UPDATE' AND old_row->>key_name IS DISTINCT FROM new_row->>key_name THEN
            PERFORM catalog_change_upsert(entity, old_row->>key_name, 'deleted');
            PERFORM catalog_change_upsert(entity, new_row->>key_name, 'created');
        ELSE
            PERFORM catalog_change_upsert(entity, r->>key_name,
                CASE TG_OP WHEN 'INSERT' THEN 'created' WHEN 'DELETE' THEN 'deleted' ELSE 'updated' END);
        END IF;
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME IN ('catalog_port', 'catalog_deviceprotocol', 'catalog_dipswitchbank')
       OR (TG_TABLE_NAME IN ('catalog_setting', 'catalog_note') AND r->>'pairing_id' IS NULL) THEN
        entity := 'device';
        SELECT slug INTO parent FROM catalog_device WHERE id = (r->>'device_id')::bigint;
    ELSIF TG_TABLE_NAME IN ('catalog_setting', 'catalog_note', 'catalog_pairingconductor') THEN
        entity := 'pairing';
        SELECT slug INTO parent FROM catalog_documentedpairing WHERE id = (r->>'pairing_id')::bigint;
    ELSIF TG_TABLE_NAME = 'catalog_pinassignment' THEN
        entity := 'device';
        SELECT d.slug INTO parent FROM catalog_port p JOIN catalog_device d ON d.id = p.device_id
            WHERE p.id = (r->>'port_id')::bigint;
    ELSIF TG_TABLE_NAME = 'catalog_dipswitch' THEN
        entity := 'device';
        SELECT d.slug INTO parent FROM catalog_dipswitchbank b JOIN catalog_device d ON d.id = b.device_id
            WHERE b.id = (r->>'bank_id')::bigint;
    ELSIF TG_TABLE_NAME = 'catalog_source' THEN
        entity := 'document';
        SELECT key INTO parent FROM catalog_document WHERE id = (r->>'document_id')::bigint;
    END IF;
    PERFORM catalog_change_upsert(entity, parent, 'updated');
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""

RECORD_TRIGGERS = "".join(
    f"""
CREATE TRIGGER catalog_change_record AFTER INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION catalog_change_record();
"""
    for table in TABLES
)

BUMP = """
CREATE OR REPLACE FUNCTION catalog_state_bump() RETURNS trigger AS $$
DECLARE
    new_version bigint;
BEGIN
    IF current_setting('catalog.state_bumped', true) = pg_current_xact_id()::text THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('catalog.state_bumped', pg_current_xact_id()::text, true);
    INSERT INTO catalog_catalogstate (id, generation, version, changed_at)
        VALUES (1, gen_random_uuid(), 1, now())
        ON CONFLICT (id) DO UPDATE SET version = catalog_catalogstate.version + 1, changed_at = now()
        RETURNING version INTO new_version;
    UPDATE catalog_catalogchange SET version = new_version WHERE transaction = txid_current();
    IF FOUND AND EXISTS (SELECT 1 FROM catalog_webhookendpoint WHERE is_active) THEN
        PERFORM procrastinate_defer_jobs_v1(ARRAY[ROW(
            'webhooks', 'catalog_changes_dispatch', 0, 'catalog-changes-dispatch', NULL,
            jsonb_build_object('version', new_version), NULL
        )::procrastinate_job_to_defer_v1]);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""

OLD_BUMP = """
CREATE OR REPLACE FUNCTION catalog_state_bump() RETURNS trigger AS $$
BEGIN
    IF current_setting('catalog.state_bumped', true) = pg_current_xact_id()::text THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('catalog.state_bumped', pg_current_xact_id()::text, true);
    INSERT INTO catalog_catalogstate (id, generation, version, changed_at)
        VALUES (1, gen_random_uuid(), 1, now())
        ON CONFLICT (id) DO UPDATE SET version = catalog_catalogstate.version + 1, changed_at = now();
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""

REVERSE = (
    OLD_BUMP
    + "".join(f"DROP TRIGGER catalog_change_record ON {table};\n" for table in TABLES)
    + "DROP FUNCTION catalog_change_record(); DROP FUNCTION catalog_change_upsert(text, text, text);\n"
)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0020_catalog_api_changes_webhooks"),
        ("procrastinate", "0041_post_retry_failed_job"),
    ]

    operations = [migrations.RunSQL(RECORD + RECORD_TRIGGERS + BUMP, REVERSE)]
