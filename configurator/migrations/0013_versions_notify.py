from django.db import migrations

# configurator.version_watch: every process LISTENs on this channel and reads the catalog's and the verdict
# matrix's versions again when a notification arrives. NOTIFY is transactional: it is delivered at the commit of
# the transaction that changed either row (never for a rolled-back one), in commit order, and the notifications
# of one transaction are folded into one.
CHANNEL = "configurator_versions"

FORWARD = f"""
CREATE FUNCTION configurator_versions_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER configurator_catalogstate_notify
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON catalog_catalogstate
    FOR EACH STATEMENT EXECUTE FUNCTION configurator_versions_notify();
CREATE TRIGGER configurator_verdictmatrix_notify
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON configurator_verdictmatrix
    FOR EACH STATEMENT EXECUTE FUNCTION configurator_versions_notify();
"""

BACKWARD = """
DROP TRIGGER configurator_verdictmatrix_notify ON configurator_verdictmatrix;
DROP TRIGGER configurator_catalogstate_notify ON catalog_catalogstate;
DROP FUNCTION configurator_versions_notify();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0021_change_feed_triggers"),
        ("configurator", "0012_verdict_order"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
