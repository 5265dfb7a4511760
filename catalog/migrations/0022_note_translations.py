"""Translations of the catalog editors' notes (catalog.models.NoteTranslation), a catalog fact table like the
others: the version trigger of migration 0007 (a new translation is served at once, never a cached result without
it) and the change feed of migration 0021 (a translation changes its note's device or pairing).
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

TABLE = "catalog_notetranslation"

VERSION_TRIGGERS = f"""
CREATE CONSTRAINT TRIGGER catalog_state_bump AFTER INSERT OR UPDATE OR DELETE ON {TABLE}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION catalog_state_bump();
CREATE TRIGGER catalog_state_bump_truncate AFTER TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_state_bump();
"""

# The note's owner, as catalog_change_record (0021) finds a note's: its device when it hangs on no pairing.
FEED = f"""
CREATE FUNCTION catalog_change_record_note_translation() RETURNS trigger AS $$
DECLARE
    r jsonb := CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END;
    owner_device bigint;
    owner_pairing bigint;
    parent text;
BEGIN
    SELECT device_id, pairing_id INTO owner_device, owner_pairing FROM catalog_note
        WHERE id = (r->>'note_id')::bigint;
    IF owner_pairing IS NOT NULL THEN
        SELECT slug INTO parent FROM catalog_documentedpairing WHERE id = owner_pairing;
        PERFORM catalog_change_upsert('pairing', parent, 'updated');
    ELSIF owner_device IS NOT NULL THEN
        SELECT slug INTO parent FROM catalog_device WHERE id = owner_device;
        PERFORM catalog_change_upsert('device', parent, 'updated');
    END IF;  -- else the note is already gone (a cascade): its own deletion is recorded
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER catalog_change_record AFTER INSERT OR UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION catalog_change_record_note_translation();
"""

REVERSE = f"""
DROP TRIGGER catalog_change_record ON {TABLE};
DROP FUNCTION catalog_change_record_note_translation();
DROP TRIGGER catalog_state_bump ON {TABLE};
DROP TRIGGER catalog_state_bump_truncate ON {TABLE};
"""


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0021_change_feed_triggers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalNoteTranslation",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "language",
                    models.CharField(
                        choices=[("de", "German"), ("it", "Italian"), ("es", "Spanish"), ("fr", "French")],
                        max_length=8,
                        verbose_name="language",
                    ),
                ),
                ("text", models.TextField(verbose_name="text")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_account",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="catalog.account",
                        verbose_name="partner account",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "note",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="catalog.note",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical note translation",
                "verbose_name_plural": "historical note translations",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="NoteTranslation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "language",
                    models.CharField(
                        choices=[("de", "German"), ("it", "Italian"), ("es", "Spanish"), ("fr", "French")],
                        max_length=8,
                        verbose_name="language",
                    ),
                ),
                ("text", models.TextField(verbose_name="text")),
                (
                    "note",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="translations", to="catalog.note"
                    ),
                ),
            ],
            options={
                "verbose_name": "note translation",
                "verbose_name_plural": "note translations",
                "ordering": ["language"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("note", "language"),
                        name="catalog_notetranslation_unique_note_language",
                        violation_error_message="The note already has a translation in this language.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("language__in", ["de", "it", "es", "fr"])),
                        name="catalog_notetranslation_language_offered",
                        violation_error_message="Notes are translated into the site's languages only.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("text", ""), _negated=True), name="catalog_notetranslation_text_not_empty"
                    ),
                ],
            },
        ),
        migrations.RunSQL(VERSION_TRIGGERS + FEED, REVERSE),
    ]
