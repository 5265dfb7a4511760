"""An issued configuration is never deleted either: its short link and sheet are printed and taped into cabinets.
The database refuses a DELETE whoever asks; only the owner role can deliberately drop the guard (the application's
role owns nothing, so it cannot disable the trigger; see README, "Database roles").

Violations raise SQLSTATE 23001 (restrict_violation), which Django reports as IntegrityError.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION configurator_savedconfiguration_refuse_delete() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'saved configuration % is issued and cannot be deleted', OLD.public_id
        USING ERRCODE = 'restrict_violation', CONSTRAINT = 'configurator_savedconfiguration_undeletable';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER configurator_savedconfiguration_undeletable
    BEFORE DELETE ON configurator_savedconfiguration
    FOR EACH ROW EXECUTE FUNCTION configurator_savedconfiguration_refuse_delete();
"""

BACKWARD = """
DROP TRIGGER configurator_savedconfiguration_undeletable ON configurator_savedconfiguration;
DROP FUNCTION configurator_savedconfiguration_refuse_delete();
"""


class Migration(migrations.Migration):
    dependencies = [("configurator", "0003_saved_configuration_site")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
