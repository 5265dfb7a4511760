"""Two database guards on devices.

- ``search_text``: the words a search compares, written by a trigger on every change of a device or of its maker's
  name (lower case, letters and digits only, at most 4,000 characters), with a trigram GIN index so that "contains
  this word" is an index lookup whatever the catalog's size (catalog.selectors.devices_matching).
- A device used by a documented pairing keeps its kind, and a pairing's battery, inverter and adapter are devices
  of that kind. Violations raise SQLSTATE 23514 (check_violation), which Django reports as IntegrityError.
"""

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

SEARCH_TEXT = """
CREATE FUNCTION catalog_device_search_text() RETURNS trigger AS $$
BEGIN
    NEW.search_text := left(regexp_replace(lower(
        coalesce((SELECT name FROM catalog_manufacturer WHERE id = NEW.manufacturer_id), '')
        || NEW.model || NEW.family || NEW.slug || array_to_string(NEW.variants, ' ')
    ), '[^0-9a-z]+', '', 'g'), 4000);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER catalog_device_search_text
    BEFORE INSERT OR UPDATE ON catalog_device
    FOR EACH ROW EXECUTE FUNCTION catalog_device_search_text();

CREATE FUNCTION catalog_manufacturer_renames_devices() RETURNS trigger AS $$
BEGIN
    UPDATE catalog_device SET search_text = '' WHERE manufacturer_id = NEW.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER catalog_manufacturer_renames_devices
    AFTER UPDATE OF name ON catalog_manufacturer
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION catalog_manufacturer_renames_devices();

UPDATE catalog_device SET search_text = '';
"""

SEARCH_TEXT_REVERSE = """
DROP TRIGGER catalog_manufacturer_renames_devices ON catalog_manufacturer;
DROP FUNCTION catalog_manufacturer_renames_devices();
DROP TRIGGER catalog_device_search_text ON catalog_device;
DROP FUNCTION catalog_device_search_text();
"""

KIND_GUARD = """
CREATE FUNCTION catalog_device_kind_fixed_while_paired() RETURNS trigger AS $$
DECLARE
    used integer;
BEGIN
    SELECT count(*) INTO used FROM catalog_documentedpairing
        WHERE battery_id = NEW.id OR inverter_id = NEW.id OR adapter_id = NEW.id;
    IF used > 0 THEN
        RAISE EXCEPTION '% documented pairing(s) use the % %: its kind cannot change', used, OLD.kind, OLD.slug
            USING ERRCODE = 'check_violation', CONSTRAINT = 'catalog_device_kind_fixed_while_paired';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER catalog_device_kind_fixed_while_paired
    BEFORE UPDATE OF kind ON catalog_device
    FOR EACH ROW WHEN (OLD.kind IS DISTINCT FROM NEW.kind) EXECUTE FUNCTION catalog_device_kind_fixed_while_paired();

CREATE FUNCTION catalog_pairing_devices_of_their_kind() RETURNS trigger AS $$
BEGIN
    IF (SELECT kind FROM catalog_device WHERE id = NEW.battery_id) <> 'battery'
       OR (SELECT kind FROM catalog_device WHERE id = NEW.inverter_id) <> 'inverter'
       OR (NEW.adapter_id IS NOT NULL AND (SELECT kind FROM catalog_device WHERE id = NEW.adapter_id) <> 'adapter')
    THEN
        RAISE EXCEPTION 'pairing %: the battery, inverter and adapter must be devices of that kind', NEW.slug
            USING ERRCODE = 'check_violation', CONSTRAINT = 'catalog_documentedpairing_devices_of_their_kind';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER catalog_documentedpairing_devices_of_their_kind
    BEFORE INSERT OR UPDATE OF battery_id, inverter_id, adapter_id ON catalog_documentedpairing
    FOR EACH ROW EXECUTE FUNCTION catalog_pairing_devices_of_their_kind();
"""

KIND_GUARD_REVERSE = """
DROP TRIGGER catalog_documentedpairing_devices_of_their_kind ON catalog_documentedpairing;
DROP FUNCTION catalog_pairing_devices_of_their_kind();
DROP TRIGGER catalog_device_kind_fixed_while_paired ON catalog_device;
DROP FUNCTION catalog_device_kind_fixed_while_paired();
"""


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_catalog_state")]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="device",
            name="search_text",
            field=models.TextField(default="", editable=False, verbose_name="search text"),
        ),
        migrations.RunSQL(SEARCH_TEXT, SEARCH_TEXT_REVERSE),
        migrations.AddIndex(
            model_name="device",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_text"], name="catalog_device_search_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
        migrations.RunSQL(KIND_GUARD, KIND_GUARD_REVERSE),
    ]
