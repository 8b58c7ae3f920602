"""Machine-coded event data (GDELT, ICEWS, PLOVER/POLECAT), kept apart from the curated record.

``briefing import FORMAT PATH...`` reads the public formats (:mod:`.gdelt`, :mod:`.icews`,
:mod:`.plover`), turns each file's rows into one common shape (:mod:`.rows`), maps the
actors onto the package's own (:mod:`.actors`) and stores them as the package's
``coded_events`` Parquet table (:mod:`.store`). :mod:`.importer` runs the whole import.
"""
