"""Mapping the actors of machine-coded events onto the package's own actors.

Each side of a coded event is mapped, in this order:

1. to a **known group** the package has an actor for (``TALIBAN`` for GDELT's known
   group code ``TAL``, or an ICEWS/PLOVER actor named "Taliban"), when the coded
   country is empty or is that actor's own country (a Pakistani Taliban group coded
   with ``PAK`` stays with Pakistan);
2. else to the **state** of its country: GDELT's ``Actor1CountryCode`` and PLOVER's
   country codes are ISO 3166 alpha-3 already; ICEWS gives country names, looked up in
   ISO 3166 (pycountry) with the few names ICEWS writes its own way. The state is the
   package's top-level ``state`` actor of that country; a country the package does not
   have yet gets a new state actor, marked in its ``role`` as added by import.

Anything else (regions, "international" codes, sectors alone) stays unmapped (null).
The analyses roll mapped actors up their ``parent_id`` chain as they do for curated
events, so ``TALIBAN`` counts for Afghanistan.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

ADDED_ROLE = "State added by briefing import of machine-coded events; not curated"
"""The ``role`` that marks an actor added by an import."""

ACTOR_COLUMNS = ["actor_id", "name", "kind", "country", "parent_id", "role", "stakeholder_group"]

KNOWN_GROUPS = {"TALIBAN": {"codes": {"TAL"}, "names": {"taliban", "afghan taliban"}}}
"""Package actor id -> the GDELT/CAMEO known-group codes and actor names that mean it."""

COUNTRY_NAMES = {
    "occupied palestinian territory": "PSE",
    "palestine": "PSE",
    "congo, democratic republic of": "COD",
    "democratic republic of congo": "COD",
    "congo": "COG",
    "macedonia": "MKD",
    "cote d'ivoire": "CIV",
    "ivory coast": "CIV",
    "burma": "MMR",
    "turkey": "TUR",
    "russia": "RUS",
    "iran": "IRN",
    "vatican city": "VAT",
    "swaziland": "SWZ",
    "cape verde": "CPV",
    "east timor": "TLS",
}
"""Country names as ICEWS writes them where ISO 3166 names them otherwise."""


@lru_cache(maxsize=4096)
def iso3(value: str) -> str:
    """ISO 3166 alpha-3 code of a country code or name; '' when it names no country.

    Examples
    --------
    >>> iso3("IND"), iso3("Afghanistan"), iso3("Occupied Palestinian Territory"), iso3("AFR")
    ('IND', 'AFG', 'PSE', '')
    """
    import pycountry

    text = value.strip()
    if not text:
        return ""
    if len(text) == 3 and text.isalpha() and text.isupper():
        found = pycountry.countries.get(alpha_3=text)
        return found.alpha_3 if found else ""
    if text.lower() in COUNTRY_NAMES:
        return COUNTRY_NAMES[text.lower()]
    try:
        return pycountry.countries.lookup(text).alpha_3
    except LookupError:
        return ""


def country_name(code: str) -> str:
    """Display name of an ISO alpha-3 code: its common name where ISO has one."""
    import pycountry

    found = pycountry.countries.get(alpha_3=code)
    if found is None:
        return code
    return getattr(found, "common_name", None) or found.name


@dataclass
class ActorMap:
    """The package's actors, and the state actors an import adds to them."""

    path: Path
    rows: list[dict] = field(default_factory=list)
    added: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> ActorMap:
        """Read ``actors.csv``."""
        with open(path, encoding="utf-8-sig", newline="") as f:
            return cls(path=Path(path), rows=list(csv.DictReader(f)))

    @property
    def _states(self) -> dict[str, str]:
        return {
            r["country"]: r["actor_id"]
            for r in self.rows
            if r["kind"] == "state" and not r["parent_id"] and r["country"]
        }

    def _groups(self) -> dict[str, tuple[str, set, set]]:
        ids = {r["actor_id"]: r for r in self.rows}
        return {
            a: (ids[a]["country"], spec["codes"], spec["names"])
            for a, spec in KNOWN_GROUPS.items()
            if a in ids
        }

    def _add_state(self, code: str, states: dict) -> str:
        taken = {r["actor_id"] for r in self.rows} | set(self.added)
        actor = code if code not in taken else f"{code}_STATE"
        self.added[actor] = {
            "actor_id": actor,
            "name": country_name(code),
            "kind": "state",
            "country": code,
            "parent_id": "",
            "role": ADDED_ROLE,
            "stakeholder_group": "",
        }
        states[code] = actor
        return actor

    def map(self, country: pa.Array, group: pa.Array, name: pa.Array) -> pa.Array:
        """Map each coded actor to its package actor id (null where none).

        Known groups are matched on the distinct group codes and names, states on the
        distinct countries: each distinct value is looked at once, and the rows follow
        by index (no per-row text is built). A state is added only for a country some
        row is mapped to by its country.
        """
        places = pc.dictionary_encode(country)
        codes = [iso3(c) for c in places.dictionary.to_pylist()]
        iso = pa.array(codes, pa.string()).take(places.indices)
        groups = self._groups()
        chosen = pa.nulls(len(country), pa.string())
        matched = pa.repeat(pa.scalar(False), len(country))
        # the first group that matches wins, as the groups are listed
        for actor, (home, group_codes, names) in reversed(groups.items()):
            hit = pc.and_(
                pc.or_(
                    _any_of(group, group_codes.__contains__),
                    _any_of(name, names.__contains__, True),
                ),
                pc.is_in(iso, value_set=pa.array(["", home], pa.string())),
            )
            chosen = pc.if_else(hit, pa.scalar(actor, pa.string()), chosen)
            matched = pc.or_(matched, hit)
        by_country = pc.unique(pc.filter(places.indices, pc.invert(matched))).to_pylist()
        states = {**self._states, **{r["country"]: a for a, r in self.added.items()}}
        ids: list[str | None] = [None] * len(codes)
        for i in by_country:
            code = codes[i]
            if code:
                ids[i] = states[code] if code in states else self._add_state(code, states)
        state = pa.array(ids, pa.string()).take(places.indices)
        return pc.if_else(matched, chosen, state)

    def write(self) -> None:
        """Append the added states to ``actors.csv``, replacing the file in one rename."""
        if not self.added:
            return
        old = self.path.read_bytes()
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=ACTOR_COLUMNS, lineterminator="\n")
        writer.writerows(self.added.values())
        glue = b"" if old.endswith(b"\n") or not old else b"\n"
        atomic_write(self.path, old + glue + buf.getvalue().encode("utf-8"))


def _any_of(col: pa.Array, wanted, fold: bool = False) -> pa.Array:
    """Rows of ``col`` whose value (stripped and lower-cased if ``fold``) is ``wanted``.

    ``wanted`` is judged once per distinct value.
    """
    distinct = pc.dictionary_encode(col)
    values = distinct.dictionary.to_pylist()
    if fold:
        values = [v.strip().lower() for v in values]
    return pa.array([wanted(v) for v in values], pa.bool_()).take(distinct.indices)


def file_mode(path: Path) -> int:
    """Return the permissions ``path`` has, or a new file's (0666 less the umask)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    The new file keeps the old one's permissions (a temporary file is private).
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, file_mode(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
