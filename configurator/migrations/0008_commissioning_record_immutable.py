"""An issued commissioning record is never updated or deleted: a correction is a new revision. The database
refuses both whoever asks (SQLSTATE 23001, restrict_violation, which Django reports as IntegrityError); only the
owner role can deliberately drop the guard (README, "Database roles")."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION configurator_record_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'commissioning record % is issued and cannot be changed or deleted', OLD.public_id
        USING ERRCODE = 'restrict_violation', CONSTRAINT = 'configurator_record_immutable';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER configurator_record_immutable
    BEFORE UPDATE OR DELETE ON configurator_commissioningrecord
    FOR EACH ROW EXECUTE FUNCTION configurator_record_refuse_change();
"""

BACKWARD = """
DROP TRIGGER configurator_record_immutable ON configurator_commissioningrecord;
DROP FUNCTION configurator_record_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("configurator", "0007_commissioning_record")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
