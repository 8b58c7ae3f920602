"""The curator's own words: no run of eight words in ``data/`` is copied from a source article.

The two seed articles live outside the repository, in ``shared/seeds/`` beside the clone
(``../shared/seeds`` from the project root). Where they are absent (a clone elsewhere) the
check is skipped with a message; the tests that prove the check can fail use passages
written into this file and run everywhere.

How text is compared. Both sides are NFKC-normalised (so ligatures and full-width forms
read as plain letters) and case-folded; apostrophes, straight or curly, are deleted so
that "Pakistan's" and "Pakistan’s" are the one word "pakistans"; every other run of
characters that are not letters or digits (spaces, hyphens, dashes, quotes, punctuation)
separates words. So "Taliban-appointed" is two words and a copied passage cannot hide
behind a changed hyphen, quote mark or capital. An 8-gram is eight consecutive words of
one text field (or of one seed article); runs are never joined across fields.

Every cell of every CSV resource is checked (identifiers and dates cannot match an
8-gram of prose, so nothing is gained by choosing columns), and so is ``data/README.md``.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import pytest

N = 8
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc]")
_WORD = re.compile(r"[^\W_]+")


def _project_root() -> Path:
    here = Path(__file__).resolve()
    for folder in here.parents:
        if (folder / "pyproject.toml").is_file() and (folder / "data").is_dir():
            return folder
    raise RuntimeError(f"no project root above {here}")


ROOT = _project_root()
DATA = ROOT / "data"
SEEDS = ROOT.parent / "shared" / "seeds"


def words(text: str) -> list[str]:
    """The words of ``text`` after the normalisation in the module docstring."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _WORD.findall(_APOSTROPHES.sub("", text))


def ngrams(text: str, n: int = N) -> set[tuple[str, ...]]:
    """Every run of ``n`` consecutive words of ``text``."""
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def data_texts(folder: Path) -> list[tuple[str, str]]:
    """(where, text) for every cell of every CSV in ``folder`` and its README.md."""
    out = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for line, row in enumerate(csv.DictReader(f), start=2):
                for column, value in row.items():
                    if value:
                        out.append((f"{path.name}, row at line {line}, column {column}", value))
    readme = folder / "README.md"
    if readme.is_file():
        out.append(("README.md", readme.read_text(encoding="utf-8")))
    return out


def shared_runs(texts: list[tuple[str, str]], sources: list[str]) -> list[str]:
    """One line per 8-gram a text shares with a source: where, and the words."""
    seen = set().union(*(ngrams(s) for s in sources)) if sources else set()
    return [
        f"{where}: '{' '.join(g)}'" for where, text in texts for g in sorted(ngrams(text) & seen)
    ]


def seed_texts() -> list[str]:
    paths = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not paths:
        pytest.skip(f"seed articles not found in {SEEDS}; the 8-gram check needs them")
    return [p.read_text(encoding="utf-8") for p in paths]


def test_no_eight_word_run_of_data_is_copied_from_a_seed_article():
    found = shared_runs(data_texts(DATA), seed_texts())
    assert found == [], "copied from a seed article:\n" + "\n".join(found)


def test_seeds_are_the_two_articles_and_long_enough_to_test_against():
    # Guards the check above from passing on an empty or truncated seed folder.
    seeds = seed_texts()
    assert len(seeds) == 2
    assert all(len(words(s)) > 400 for s in seeds)


# The proofs below use a made-up article, so they run without the seeds.
ARTICLE = (
    "The delegation met the minister on Tuesday and discussed trade, visas and the "
    "repatriation of prisoners held in both countries."
)


def test_words_normalise_case_apostrophes_hyphens_and_ligatures():
    assert words("Pakistan’s TALIBAN-appointed ﬁrst “envoy”.") == [
        "pakistans",
        "taliban",
        "appointed",
        "first",
        "envoy",
    ]


def test_a_copied_passage_is_found_in_a_data_package(tmp_path):
    (tmp_path / "engagements.csv").write_text(
        "event_id,summary\n"
        "a,Own words about a meeting.\n"
        # Nine words of the article, with its capitals, hyphens and quotes changed.
        'b,"Officials say they Discussed trade, visas and the Repatriation of-prisoners."\n',
        encoding="utf-8",
    )
    found = shared_runs(data_texts(tmp_path), [ARTICLE])
    assert found == [
        "engagements.csv, row at line 3, column summary: "
        "'discussed trade visas and the repatriation of prisoners'",
    ]


def test_seven_shared_words_are_not_a_copy_and_runs_do_not_cross_fields(tmp_path):
    (tmp_path / "engagements.csv").write_text(
        "event_id,summary,notes\n"
        # Seven words of the article in one field; the eighth starts the next field.
        "a,trade visas and the repatriation of prisoners,held in a camp\n",
        encoding="utf-8",
    )
    assert shared_runs(data_texts(tmp_path), [ARTICLE]) == []


def test_the_real_data_would_fail_if_a_sentence_of_a_seed_were_pasted_in(tmp_path):
    seeds = seed_texts()
    sentence = seeds[0].strip().splitlines()[-1]  # the first article's last paragraph
    for path in DATA.glob("*.csv"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    eng = tmp_path / "engagements.csv"
    lines = eng.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    row = next(csv.reader([lines[1]]))
    row[header.index("notes")] = sentence
    buf = tmp_path / "row.csv"
    with buf.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(row)
    lines[1] = buf.read_text(encoding="utf-8")
    buf.unlink()
    eng.write_text("".join(lines), encoding="utf-8")
    found = shared_runs(data_texts(tmp_path), seeds)
    assert len(found) == len(words(sentence)) - N + 1
    assert all(f.startswith("engagements.csv, row at line 2, column notes: ") for f in found)
