"""The ``briefing`` command: ``briefing validate``, ``briefing import`` and ``briefing build``.

Exit codes: 0 success (including "up to date"), 2 bad input (data, parameters, names),
1 a build that failed while running (a notebook raised, rendering failed). Errors are
printed as plain messages, never tracebacks, and nothing is published on any error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .data import defaults as notebook_defaults
from .errors import DataValidationError, ParameterError

BUILD_KEYS = {"series", "pairs"}
"""Keys a parameter file may hold besides the notebooks' parameters: where a build
publishes and which pairs a portfolio builds, which no notebook needs (``papermill -f``
warns about them and runs)."""

PAIR_KEYS = ("focus", "counterpart")
"""The single pair's keys: a source (the command line, or one file) gives these or
``pairs``, not both."""


def defaults() -> dict[str, str]:
    """Return the notebooks' parameter defaults (their parameters cells), as text."""
    return {
        k: "" if v is None else str(v) for k, v in notebook_defaults.parameter_defaults().items()
    }


def _parser() -> argparse.ArgumentParser:
    default = defaults()
    p = argparse.ArgumentParser(
        prog="briefing",
        description="Validate the engagement data and build versioned HTML and PDF briefings.",
    )
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check the data package against data/datapackage.json")
    v.add_argument(
        "--data-dir", default="", help="data package folder (default: the project's data/)"
    )

    imp = sub.add_parser(
        "import", help="add machine-coded event files (GDELT, ICEWS, PLOVER) to the package"
    )
    imp.add_argument("format", choices=["gdelt", "icews", "plover"], help="the files' format")
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files (or zips)")
    imp.add_argument(
        "--data-dir", default="", help="data package folder (default: the project's data/)"
    )

    b = sub.add_parser("build", help="execute the notebooks and publish a new version")
    b.add_argument(
        "--start",
        dest="start_date",
        help=f"first day, YYYY-MM-DD (default {default['start_date']})",
    )
    b.add_argument(
        "--end", dest="end_date", help=f"last day, YYYY-MM-DD (default {default['end_date']})"
    )
    b.add_argument("--focus", help=f"focus stakeholder id (default {default['focus']})")
    b.add_argument(
        "--counterpart", help=f"counterpart stakeholder id (default {default['counterpart']})"
    )
    b.add_argument(
        "--pairs",
        help="a portfolio: FOCUS:COUNTERPART pairs, comma-separated (IND:AFG,PAK:AFG); "
        "not with --focus/--counterpart",
    )
    b.add_argument("--data-dir", dest="data_dir", help="data package folder (default: data/)")
    b.add_argument("--params", type=Path, help="YAML file of named parameters (params/*.yaml)")
    b.add_argument("--every", choices=["month", "quarter"], help="one edition per month or quarter")
    b.add_argument(
        "--jobs",
        type=int,
        default=0,
        help="editions built at once with --every or --pairs (default: cores)",
    )
    b.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="build the editions on the Dask cluster whose scheduler is at ADDRESS "
        "(tcp://HOST:PORT; needs the cluster extra)",
    )
    b.add_argument("--force", action="store_true", help="build a new version even if up to date")
    b.add_argument(
        "--dry-run",
        action="store_true",
        help="print the parameters the build would use, as a parameter file, and stop",
    )
    b.add_argument(
        "--reports-dir", type=Path, default=None, help="where versions go (default: reports/)"
    )
    return p


def load_params_file(path: Path) -> dict:
    """Read a named parameter set; unknown keys are an error naming the file."""
    import yaml

    if not path.is_file():
        raise ParameterError(f"parameter file {path} does not exist")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ParameterError(f"parameter file {path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ParameterError(f"parameter file {path} must hold key: value pairs")
    allowed = set(defaults()) | BUILD_KEYS
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ParameterError(
            f"parameter file {path}: unknown key(s) {', '.join(unknown)}; "
            f"allowed: {', '.join(sorted(allowed))}"
        )
    if isinstance(data.get("pairs"), list):  # a YAML list of "IND:AFG" items
        data["pairs"] = ",".join(str(item) for item in data["pairs"])
    out = {k: ("" if v is None else str(v)) for k, v in data.items()}
    if "pairs" in out:
        from .data.parameters import parse_pairs

        parse_pairs(out["pairs"], f"parameter file {path}, key pairs")
        both = [k for k in PAIR_KEYS if k in out]
        if both:
            raise ParameterError(
                f"parameter file {path} gives both pairs and {' and '.join(both)}; "
                "a portfolio's pairs name every focus and counterpart: keep one"
            )
    return out


def _resolve(args) -> dict:
    """Merge the defaults, the parameter file and the command line, in that order.

    The pair is one choice: ``--pairs`` or ``--focus/--counterpart`` on the command line
    replaces the file's ``pairs`` or ``focus/counterpart`` whole. ``pairs`` is "" for a
    single pair.
    """
    merged = dict(defaults(), series="", pairs="")
    given = [k for k in PAIR_KEYS if getattr(args, k, None) is not None]
    if args.pairs is not None and given:
        flags = " and ".join(f"--{k}" for k in given)
        raise ParameterError(f"--pairs names each pair's focus and counterpart; leave out {flags}")
    if args.pairs is not None:
        from .data.parameters import parse_pairs

        parse_pairs(args.pairs)  # the form, before anything loads ("" is an error too)
    if args.params:
        from_file = load_params_file(args.params)
        if args.pairs is not None:
            from_file = {k: v for k, v in from_file.items() if k not in PAIR_KEYS}
        if given:
            from_file.pop("pairs", None)
        merged.update(from_file)
    for key in ("start_date", "end_date", *PAIR_KEYS, "pairs", "data_dir"):
        value = getattr(args, key, None)
        if value is not None:
            merged[key] = value
    return merged


def cmd_validate(args) -> int:
    """Check the data package (``briefing validate``); print 'valid' and return 0.

    Raises
    ------
    DataValidationError
        Listing every problem, for :func:`main` to print.
    """
    from .data.validation import validate_package
    from .paths import resolve_data_dir

    folder = resolve_data_dir(args.data_dir)
    problems = validate_package(folder)
    if problems:
        raise DataValidationError(problems, folder)
    print(f"{folder}: valid")
    return 0


def cmd_import(args) -> int:
    """Import machine-coded event files; bad rows are listed by line, not fatal."""
    from .data.coded.importer import import_files
    from .paths import resolve_data_dir

    report = import_files(args.format, args.paths, resolve_data_dir(args.data_dir))
    print("\n".join(report.lines()))
    return 0


def _dry_run(p: dict) -> None:
    """Print the parameters as a parameter file: a portfolio's instead of one pair's."""
    shown = {k: v for k, v in p.items() if k not in (PAIR_KEYS if p["pairs"] else ("pairs",))}
    print("".join(f"{k}: {json.dumps(v)}\n" for k, v in shown.items()), end="")


def result_line(r) -> str:
    """Return the command's line for one edition's result: built, up to date or failed."""
    if r.status == "up-to-date":
        return (
            f"up to date: same as v{r.version} ({r.series} {r.edition}, {r.path}); nothing executed"
        )
    if r.status == "failed":
        first = r.error.splitlines()[0] if r.error else "failed"
        return f"failed {r.series} {r.edition}: {first}; nothing of it was published"
    return f"built {r.series} {r.edition} v{r.version} in {r.seconds:.1f} s: {r.path}"


def cmd_build(args) -> int:
    """Build one version, a series (``--every``) or a portfolio (``--pairs``); return 0.

    With ``--scheduler`` the editions are built on that Dask cluster
    (:func:`helpers.publishing.cluster.build_on_cluster`), else on this machine.

    Prints one line per edition: where it was published, that it was up to date, or
    that it failed (then the others still publish, and the return is 1).
    """
    from .paths import REPORTS_DIR
    from .publishing.build import BuildRequest, build

    p = _resolve(args)
    if args.dry_run:
        _dry_run(p)
        return 0
    request = BuildRequest(
        start_date=p["start_date"], end_date=p["end_date"],
        focus=p["focus"], counterpart=p["counterpart"], data_dir=p["data_dir"],
        title=p["title"], series=p["series"],
        reports_dir=args.reports_dir or REPORTS_DIR, force=args.force,
    )  # fmt: skip
    if args.every or p["pairs"] or args.scheduler:
        from .data.parameters import parse_pairs
        from .publishing.series import build_requests, plan_builds

        pairs = parse_pairs(p["pairs"]) if p["pairs"] else None
        planned = plan_builds(request, args.every, pairs)
        if args.scheduler:
            from .publishing.cluster import build_on_cluster

            results = build_on_cluster(planned, args.scheduler)
        else:
            results = build_requests(planned, jobs=args.jobs)
    else:
        results = [build(request)]
    for r in results:
        print(result_line(r))
    if len(results) > 1:  # where the portfolio's overview is (rebuilt after every edition)
        print(f"index of every series and edition: {request.reports_dir / 'index.html'}",
              file=sys.stderr)  # fmt: skip
    failed = [r for r in results if r.status == "failed"]
    for r in failed:  # the whole message: a notebook's names its cell and the exception
        print(f"error: {r.series} {r.edition}: {r.error}", file=sys.stderr)
    if failed:
        rest = "nothing was published" if len(failed) == len(results) else "the others were"
        print(f"{len(failed)} of {len(results)} editions failed; {rest}.", file=sys.stderr)
        return 1
    return 0


def main(argv=None) -> int:
    """Run the command line on ``argv`` and return the exit status.

    Returns
    -------
    int
        0 on success; 2 for bad data, bad parameters or a refused publication; 1 for any
        other failure; 130 when interrupted. Failures are printed as one message, and
        nothing is published.
    """
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            return cmd_validate(args)
        if args.command == "import":
            return cmd_import(args)
        return cmd_build(args)
    except DataValidationError as exc:
        print(f"error: {exc.describe()}", file=sys.stderr)
        print("nothing was built or published.", file=sys.stderr)
        return 2
    except ParameterError as exc:
        print(f"error: {exc}\nnothing was built or published.", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - report any failure as a message, not a trace
        from .data.coded.report import FormatError
        from .publishing.publish import PublishError

        if isinstance(exc, FormatError):
            print(f"error: {exc}\nnothing was imported.", file=sys.stderr)
            return 2

        code = 2 if isinstance(exc, PublishError) else 1
        print(f"error: {exc}\nnothing was published.", file=sys.stderr)
        return code
    except KeyboardInterrupt:
        print("interrupted: nothing was published.", file=sys.stderr)
        return 130


def run() -> None:
    """Console-script entry: ``main`` then an immediate exit.

    Interpreter shutdown spends 0.7-1.9 s collecting the build's garbage (measured in
    benchmarks/); every file is written and closed by then, so flush and leave.

    Arrow's memory then comes from the C library's allocator, which gives large freed
    blocks back to the system (Arrow's default pool keeps them): the build and its
    kernels inherit the setting. At a million events it lowered the build's peak memory
    from 2.39 to 2.04 GB (benchmarks/README.md).
    """
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
