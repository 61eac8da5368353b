"""The regions of the NY Open Data dataset wuxr-ni2i (gasoline retail prices, weekly average).

Each region is a slug (what the API, the database and SNS filter policies use), the Socrata field
its price arrives in, and a label. The state average comes first; the rest are alphabetical.
"""

from __future__ import annotations

STATE = "new_york_state"

# slug -> label; the Socrata field is f"{slug}_average_gal".
REGIONS: dict[str, str] = {
    STATE: "New York State",
    "albany": "Albany",
    "batavia": "Batavia",
    "binghamton": "Binghamton",
    "buffalo": "Buffalo",
    "dutchess": "Dutchess",
    "elmira": "Elmira",
    "glens_falls": "Glens Falls",
    "ithaca": "Ithaca",
    "kingston": "Kingston",
    "nassau": "Nassau",
    "new_york_city": "New York City",
    "rochester": "Rochester",
    "syracuse": "Syracuse",
    "utica": "Utica",
    "watertown": "Watertown",
    "white_plains": "White Plains",
}
CHOICES = list(REGIONS.items())
SLUG_MAX_LENGTH = 20


def field_of(region: str) -> str:
    """The Socrata field of ``region``'s price: ``albany`` -> ``albany_average_gal``."""
    return f"{region}_average_gal"


def label_of(region: str) -> str:
    return REGIONS.get(region, region)
