"""Loading the national list of regions."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .models import Region

DATA_FILE = Path(__file__).resolve().parent / "data" / "wilayah.csv"


@dataclass
class LoadResult:
    created: int
    updated: int
    unchanged: int

    @property
    def total(self):
        return self.created + self.updated + self.unchanged


def read_regions(path=DATA_FILE):
    """Yield (code, name) from the shipped CSV, parents before children (the file's own order
    is by code, and a parent's code is a prefix of its children's)."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = [(row["code"].strip(), row["name"].strip()) for row in csv.DictReader(fh)]
    rows.sort(key=lambda r: (r[0].count("."), r[0]))
    return rows


@transaction.atomic
def load_regions(*, path=DATA_FILE, batch_size=5000):
    """Create or update every region in the file. Idempotent; never deletes (codes are stable,
    and a region that splits keeps its old code)."""
    existing = dict(Region.objects.values_list("code", "name"))
    to_create, to_update = [], []
    unchanged = 0
    for code, name in read_regions(path):
        if code not in existing:
            to_create.append(
                Region(code=code, name=name, level=Region.level_of(code), parent_id=Region.parent_code_of(code))
            )
        elif existing[code] != name:
            to_update.append(Region(code=code, name=name))
        else:
            unchanged += 1
    Region.objects.bulk_create(to_create, batch_size=batch_size)
    Region.objects.bulk_update(to_update, ["name"], batch_size=batch_size)
    return LoadResult(created=len(to_create), updated=len(to_update), unchanged=unchanged)
