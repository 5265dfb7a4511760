"""Database guards for rules that span two tables, which a CHECK constraint cannot express:

- a pin's position is within its port's number of positions, and a port cannot shrink below its pins;
- a DIP switch's number is within its bank's switch count, and a bank cannot shrink below its switches.

Violations raise SQLSTATE 23514 (check_violation), which Django reports as IntegrityError.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION catalog_pin_position_within_port() RETURNS trigger AS $$
DECLARE
    port_positions smallint;
BEGIN
    IF NEW.position IS NULL THEN
        RETURN NEW;
    END IF;
    SELECT positions INTO port_positions FROM catalog_port WHERE id = NEW.port_id;
    IF NEW.position > port_positions THEN
        RAISE EXCEPTION 'pin position % is beyond the % positions of port %', NEW.position, port_positions, NEW.port_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'catalog_pinassignment_position_within_port';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER catalog_pinassignment_position_within_port
    BEFORE INSERT OR UPDATE OF position, port_id ON catalog_pinassignment
    FOR EACH ROW EXECUTE FUNCTION catalog_pin_position_within_port();

CREATE FUNCTION catalog_port_keeps_its_pins() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM catalog_pinassignment WHERE port_id = NEW.id AND position > NEW.positions) THEN
        RAISE EXCEPTION 'port % has pins beyond % positions', NEW.id, NEW.positions
            USING ERRCODE = 'check_violation', CONSTRAINT = 'catalog_port_positions_cover_pins';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER catalog_port_positions_cover_pins
    BEFORE UPDATE OF positions ON catalog_port
    FOR EACH ROW EXECUTE FUNCTION catalog_port_keeps_its_pins();

CREATE FUNCTION catalog_switch_within_bank() RETURNS trigger AS $$
DECLARE
    bank_switches smallint;
BEGIN
    SELECT switch_count INTO bank_switches FROM catalog_dipswitchbank WHERE id = NEW.bank_id;
    IF NEW.position > bank_switches THEN
        RAISE EXCEPTION 'switch % is beyond the % switches of bank %', NEW.position, bank_switches, NEW.bank_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'catalog_dipswitch_position_within_bank';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER catalog_dipswitch_position_within_bank
    BEFORE INSERT OR UPDATE OF position, bank_id ON catalog_dipswitch
    FOR EACH ROW EXECUTE FUNCTION catalog_switch_within_bank();

CREATE FUNCTION catalog_bank_keeps_its_switches() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM catalog_dipswitch WHERE bank_id = NEW.id AND position > NEW.switch_count) THEN
        RAISE EXCEPTION 'bank % has switches beyond % switches', NEW.id, NEW.switch_count
            USING ERRCODE = 'check_violation', CONSTRAINT = 'catalog_dipswitchbank_count_covers_switches';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER catalog_dipswitchbank_count_covers_switches
    BEFORE UPDATE OF switch_count ON catalog_dipswitchbank
    FOR EACH ROW EXECUTE FUNCTION catalog_bank_keeps_its_switches();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS catalog_dipswitchbank_count_covers_switches ON catalog_dipswitchbank;
DROP FUNCTION IF EXISTS catalog_bank_keeps_its_switches();
DROP TRIGGER IF EXISTS catalog_dipswitch_position_within_bank ON catalog_dipswitch;
DROP FUNCTION IF EXISTS catalog_switch_within_bank();
DROP TRIGGER IF EXISTS catalog_port_positions_cover_pins ON catalog_port;
DROP FUNCTION IF EXISTS catalog_port_keeps_its_pins();
DROP TRIGGER IF EXISTS catalog_pinassignment_position_within_port ON catalog_pinassignment;
DROP FUNCTION IF EXISTS catalog_pin_position_within_port();
"""


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
