"""The catalog's version: one row the database raises once per committed transaction that changes a catalog fact.

Cached results are keyed by it (configurator.services), so an edit in the admin, an import or a SQL statement is
seen by the next request. The triggers are deferred constraint triggers: they run at commit, after the
transaction's other locks, so two concurrent catalog edits cannot deadlock on the state row; a rolled-back
transaction raises nothing. The first change of a transaction raises the version; the others see that and return.
"""

import django.utils.timezone
import uuid
from django.db import migrations, models

# The catalog fact tables when this migration was written (catalog.models.CATALOG_FACT_TABLES holds today's list;
# a test checks that every one of them carries the trigger).
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

FUNCTION = """
CREATE FUNCTION catalog_state_bump() RETURNS trigger AS $$
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

INSERT INTO catalog_catalogstate (id, generation, version, changed_at) VALUES (1, gen_random_uuid(), 0, now());
"""

TRIGGERS = "".join(
    f"""
CREATE CONSTRAINT TRIGGER catalog_state_bump AFTER INSERT OR UPDATE OR DELETE ON {table}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION catalog_state_bump();
CREATE TRIGGER catalog_state_bump_truncate AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_state_bump();
"""
    for table in TABLES
)

REVERSE = (
    "".join(
        f"DROP TRIGGER catalog_state_bump ON {table}; DROP TRIGGER catalog_state_bump_truncate ON {table};\n"
        for table in TABLES
    )
    + "DROP FUNCTION catalog_state_bump();\n"
)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_history"),
    ]

    operations = [
        migrations.CreateModel(
            name="CatalogState",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("generation", models.UUIDField(default=uuid.uuid4, verbose_name="generation")),
                ("version", models.BigIntegerField(default=0, verbose_name="version")),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="changed at")),
            ],
            options={
                "verbose_name": "catalog state",
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("id", 1)), name="catalog_catalogstate_single_row")
                ],
            },
        ),
        migrations.RunSQL(FUNCTION + TRIGGERS, REVERSE),
    ]
