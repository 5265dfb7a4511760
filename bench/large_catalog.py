"""Fill the database DATABASE_URL names (migrated, empty) with the shipped catalog grown to SCALE_DEVICES devices,
the way bench/scaling.py grows it, for bench/throughput.py's run at that size.

The verdict matrix is complete for the shipped catalog; at the large size only the measured inverter's column is
filled (a full matrix there is hours of worker time) and the matrix is marked current.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scaling import FIXTURES, LARGE, MEASURED_INVERTER, analyze, grow
from catalog.importing import catalog_import
from catalog.models import Device
from catalog.rules import TEAM_ACTOR
from configurator.verdict_matrix import matrix_column_fill, matrix_refresh


def main() -> None:
    catalog_import(paths=[FIXTURES], actor=TEAM_ACTOR)
    matrix_refresh(full=True)
    grow(LARGE)
    matrix_column_fill(MEASURED_INVERTER)
    analyze()
    print(Device.objects.count())


if __name__ == "__main__":
    main()
