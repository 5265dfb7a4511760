"""A saved configuration is never updated: the database refuses it, whatever the caller.

Violations raise SQLSTATE 23001 (restrict_violation), which Django reports as IntegrityError.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION configurator_savedconfiguration_refuse_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'saved configuration % is immutable', OLD.public_id
        USING ERRCODE = 'restrict_violation', CONSTRAINT = 'configurator_savedconfiguration_immutable';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER configurator_savedconfiguration_immutable
    BEFORE UPDATE ON configurator_savedconfiguration
    FOR EACH ROW EXECUTE FUNCTION configurator_savedconfiguration_refuse_update();
"""

BACKWARD = """
DROP TRIGGER configurator_savedconfiguration_immutable ON configurator_savedconfiguration;
DROP FUNCTION configurator_savedconfiguration_refuse_update();
"""


class Migration(migrations.Migration):
    dependencies = [("configurator", "0001_saved_configuration")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
