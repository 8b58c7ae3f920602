"""Rendering executed notebooks into self-contained HTML and A4 PDF.

HTML comes from nbconvert with the project's own template (``templates/briefing``): no
code, no prompts, no parameter cells, images inline, styles inline, no script. The PDF is
WeasyPrint's rendering of that same HTML. Before anything is written, the HTML is checked
for active content (script, event handlers, ``javascript:`` links, frames, external
resources); finding any is an error, never a warning, so it cannot be published.

A build renders each notebook as soon as it has executed, while the others still run,
in a :class:`RenderPool` of worker processes: WeasyPrint holds the GIL, so threads would
take turns where processes use both cores.
"""

from __future__ import annotations

import io
import os
import re
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from ..paths import TEMPLATES_DIR
from ..presentation.display import esc

REMOVE_TAGS = {"remove-cell", "notebook-only"}

_ACTIVE = [
    (re.compile(r"<\s*script", re.I), "a <script> element"),
    (
        re.compile(r"<\s*(iframe|object|embed|frame|base|form)\b", re.I),
        "an embedded frame or object",
    ),
    (re.compile(r"<\s*link\b", re.I), "an external stylesheet link"),
]
# Attributes and stylesheets are checked on the parsed page, never on raw text: escaped
# data such as "onerror=" in an alt text or "href=javascript:" or "@import" in a summary
# is harmless and must not stop a build.
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
_SCRIPT_URL = re.compile(r"^(javascript|vbscript):", re.I)
_NETWORK_URL = re.compile(r"^(https?:)?//", re.I)
_NETWORK_CSS = re.compile(r"@import|url\(\s*['\"]?\s*(https?:)?//", re.I)


class _TagChecker(HTMLParser):
    """Find active content in tags and stylesheets.

    Attribute values are decoded as a browser decodes them (``&#106;avascript:`` is
    ``javascript:``).
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: tuple[str, str] | None = None
        self._in_style = False

    def _flag(self, what: str) -> None:
        if self.found is None:
            self.found = (what, self.get_starttag_text() or "")

    def handle_starttag(self, tag, attrs):
        self._in_style = tag == "style"
        if tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            self._flag("a meta refresh")
        for name, value in attrs:
            # Browsers drop control characters and whitespace from URLs before parsing.
            url = re.sub(r"[\x00-\x20]", "", value or "")
            if name.startswith("on"):
                self._flag("an event-handler attribute")
            elif name in _URL_ATTRS and _SCRIPT_URL.match(url):
                self._flag("a script URL")
            elif name in ("src", "srcset", "poster", "background") and _NETWORK_URL.match(url):
                self._flag("an image or script fetched from the network")
            elif name == "style" and _NETWORK_CSS.search(value or ""):
                self._flag("a stylesheet fetching from the network")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style and _NETWORK_CSS.search(data):
            self.found = self.found or ("a stylesheet fetching from the network", data[:80])


class UnsafeOutputError(RuntimeError):
    """The rendered HTML contains active or remote content; nothing is published."""


def check_no_active_content(html: str, name: str = "briefing") -> None:
    """Raise :class:`UnsafeOutputError` if ``html`` could run script or fetch anything."""
    for pattern, what in _ACTIVE:
        m = pattern.search(html)
        if m:
            start = max(0, m.start() - 40)
            snippet = html[start : m.end() + 40].replace("\n", " ")
            raise UnsafeOutputError(f"{name}: the rendered HTML contains {what}: …{snippet}…")
    checker = _TagChecker()
    checker.feed(html)
    checker.close()
    if checker.found:
        what, snippet = checker.found
        snippet = snippet[:120].replace("\n", " ")
        raise UnsafeOutputError(f"{name}: the rendered HTML contains {what}: …{snippet}…")


@dataclass
class PageInfo:
    """What a page needs besides the notebook.

    ``page_time`` (seconds since the epoch) is the moment the page is dated by: a build
    passes its input time (:func:`helpers.data.fingerprint.input_epoch`). It is required
    because the PDF writer dates what it writes: each font embedded in the PDF carries a
    "modified" time, which fontTools (WeasyPrint's font subsetter wherever the
    HarfBuzz-Subset library is missing) takes from the clock. Dated by the clock, two
    renders of one page a second apart differ byte for byte; dated by the page time,
    they cannot.
    """

    title: str
    page_time: int
    appendix_html: str = ""
    version_label: str = ""
    slots: dict[str, str] = field(default_factory=dict)
    """Text for the empty ``slot-<name>`` elements a notebook leaves (see
    :func:`fill_slots`): what only the build knows, such as the version."""
    meta: tuple[tuple[str, str], ...] = ()
    """(name, content) pairs for ``<meta>`` elements: the provenance kept off the page."""


_SLOT = re.compile(r'<(span|p) class="slot-([a-z]+)"></\1>')


def fill_slots(html: str, slots: dict[str, str]) -> str:
    """Put each slot's text, escaped, into the empty slot elements of ``html``.

    The elements are ``<span class="slot-NAME">`` or ``<p class="slot-NAME">``; slots
    not given stay empty.
    """

    def fill(m: re.Match) -> str:
        text = slots.get(m.group(2), "")
        return f'<{m.group(1)} class="slot-{m.group(2)}">{esc(text)}</{m.group(1)}>'

    return _SLOT.sub(fill, html) if slots else html


@contextmanager
def pinned_page_time(page_time: int) -> Iterator[None]:
    """Have everything that dates its output use ``page_time`` for the block.

    fontTools (which WeasyPrint uses to subset the PDF's fonts) reads the time it writes
    into each font from ``SOURCE_DATE_EPOCH`` when set, and from the clock otherwise; the
    variable is the only interface it offers. It is set for the block and restored after
    it, so nothing outside a render sees it. Environment variables belong to the whole
    process: call this where one render runs at a time (a render worker, a test).
    """
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(page_time))
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def _exporter():
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        template_name="briefing",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags=REMOVE_TAGS, enabled=True), enabled=True
    )
    return exporter


def notebook_to_html(nb, page: PageInfo) -> str:
    """HTML of an executed notebook (an ``nbformat`` node), checked for active content."""
    exporter = _exporter()
    resources = {
        "briefing": {
            "title": page.title,
            "appendix_html": page.appendix_html,
            "version_label": page.version_label,
            "meta": list(page.meta),
        }
    }
    html, _ = exporter.from_notebook_node(nb, resources=resources)
    html = fill_slots(html, page.slots)
    check_no_active_content(html, page.title)
    return html


def _data_only_fetcher():
    """Make a WeasyPrint URL fetcher that serves ``data:`` URIs and refuses everything else."""
    try:
        from weasyprint.urls import URLFetcher  # WeasyPrint 66 and later

        return URLFetcher(allowed_protocols={"data"})
    except ImportError:  # older WeasyPrint: a plain function
        from weasyprint import default_url_fetcher

        def fetch(url, *args, **kwargs):
            if not url.startswith("data:"):
                raise ValueError(f"briefings fetch nothing; refused {url[:80]}")
            return default_url_fetcher(url, *args, **kwargs)

        return fetch


def html_to_pdf(html: str, page_time: int, base_url: str | Path | None = None) -> bytes:
    """A4 PDF bytes of ``html`` rendered by WeasyPrint, dated ``page_time``.

    Nothing but inline data is fetched. The same ``html`` and ``page_time`` give the same
    bytes whenever and wherever it runs (see :class:`PageInfo`).

    Charts that would leave a page more than 40% blank are shrunk a little or floated
    after the text that follows them (:mod:`helpers.publishing.pagination`).
    """
    from weasyprint import HTML

    from .pagination import fit_figures

    fetcher = _data_only_fetcher()

    def layout(markup: str):
        return HTML(string=markup, base_url=str(base_url or "."), url_fetcher=fetcher).render()

    buf = io.BytesIO()
    with pinned_page_time(page_time):
        fit_figures(html, layout).write_pdf(buf)
    return buf.getvalue()


def render_files(
    executed: Path, page: PageInfo, html_path: Path, pdf_path: Path
) -> tuple[str, str]:
    """Write the HTML, then the PDF, of the executed notebook at ``executed``.

    Returns
    -------
    tuple of str
        The SHA-256 of the HTML file and of the PDF file, for the manifest.

    Raises
    ------
    UnsafeOutputError
        The HTML holds active content; nothing is written.
    """
    import nbformat

    from ..data.fingerprint import sha256_bytes

    html = notebook_to_html(nbformat.read(executed, as_version=4), page)
    html_path.write_text(html, encoding="utf-8")
    pdf = html_to_pdf(html, page.page_time, html_path.parent)
    pdf_path.write_bytes(pdf)
    return sha256_bytes(html.encode("utf-8")), sha256_bytes(pdf)


def _warm_up() -> None:
    """Import the renderers and render a small page, so forked workers start warm.

    The first page in a process pays for nbconvert's template, WeasyPrint's fonts and
    the hyphenation dictionary (table cells hyphenate; a long word in narrow columns
    loads it).
    """
    from .processes import skip_optional_format_checkers

    skip_optional_format_checkers()  # before nbformat brings jsonschema in
    import nbformat

    columns = 12
    table = "\n".join(
        "|" + "|".join(cells * columns) + "|" for cells in (["x"], ["-"], ["internationalisation"])
    )
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(table)])
    html_to_pdf(notebook_to_html(nb, PageInfo(title="warm", page_time=0)), page_time=0)


class RenderWorkerDied(RuntimeError):
    """A render worker process ended before returning its page."""


RENDER_NICENESS = 10
"""How much lower than the build's the render workers' CPU priority is."""


class RenderPool:
    """Worker processes that run :func:`render_files` while the build goes on.

    The first worker is forked at once, small, before the build loads its data (every
    process forked later would count that data in its memory). :meth:`start` tells it to
    import the renderers and warm up; only then does it fork the other workers from
    itself, so the imports are paid once and a build that stops at bad data pays none.
    Workers end with :meth:`close`, or with the build process if it is killed.

    Parameters
    ----------
    workers
        Number of worker processes; 0 means one per core.
    """

    shared = False
    """True when the pool serves build after build (see :class:`.build.SharedWorkers`)."""

    def __init__(self, workers: int = 0):
        import multiprocessing as mp

        ctx = mp.get_context("fork")
        self.workers = workers or os.cpu_count() or 1
        # Jobs go through a Queue, whose feeder thread never blocks the build on a full
        # pipe. Each worker answers on a pipe of its own, which nobody else writes: the
        # collector thread reads its answers, and its end of file says the worker ended.
        self._jobs = ctx.Queue()
        answers = [ctx.Pipe(duplex=False) for _ in range(self.workers)]
        self._first = ctx.Process(
            target=_serve,
            args=(self._jobs, [w for _, w in answers], os.getpid()),
            name="render-worker",
        )
        self._first.start()
        for _, w in answers:
            w.close()  # only the workers write: end of file comes when they end
        self._answers = [r for r, _ in answers]
        self._futures: dict[int, Future] = {}
        self._lock = threading.Lock()
        self._next = 0
        self._started = self._closed = False
        self._broken: BaseException | None = None
        # A daemon: should a process end without closing its pool, this thread must not
        # keep it waiting for workers that end only with it.
        self._collector = threading.Thread(target=self._collect, name="render-results", daemon=True)
        self._collector.start()

    def start(self) -> None:
        """Have the workers import the renderers (call once the data has been checked)."""
        if not self._started:
            self._started = True
            self._jobs.put(("start", self.workers))

    def submit(self, executed: Path, page: PageInfo, html_path: Path, pdf_path: Path) -> Future:
        """Render in a worker; the future gives :func:`render_files`'s hashes or error."""
        future: Future = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("the render pool is closed")
            if self._broken is not None:
                future.set_exception(self._broken)
                return future
            job, self._next = self._next, self._next + 1
            self._futures[job] = future
        self.start()
        self._jobs.put((job, (executed, page, html_path, pdf_path)))
        return future

    def _collect(self) -> None:
        from multiprocessing.connection import wait

        open_ = list(self._answers)
        while open_:
            for conn in wait(open_):
                try:
                    job, ok, payload = conn.recv()
                except EOFError:  # the worker ended: every answer it sent came first
                    open_.remove(conn)
                    conn.close()
                    if not self._closed:
                        with self._lock:
                            self._broken = RenderWorkerDied(
                                "a render worker process ended unexpectedly"
                            )
                        self._fail_pending(self._broken)
                    continue
                with self._lock:
                    future = self._futures.pop(job)
                future.set_result(payload) if ok else future.set_exception(payload)

    def _fail_pending(self, error: BaseException) -> None:
        with self._lock:
            pending, self._futures = self._futures, {}
        for future in pending.values():
            future.set_exception(error)

    def close(self, cancel: bool = False) -> None:
        """Finish the jobs given and end the workers; with ``cancel``, stop them at once.

        Returns only when every worker has ended, so none writes after it.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
        if cancel:
            self._first.kill()  # the workers it forked end with it
        else:
            for _ in range(self.workers):
                self._jobs.put(None)
        self._first.join()
        self._collector.join()
        self._fail_pending(RenderWorkerDied("the render pool was closed before this page"))
        self._jobs.cancel_join_thread()  # jobs nobody took are dropped, not waited on
        self._jobs.close()

    def __enter__(self) -> RenderPool:
        """Use the pool in a ``with`` block."""
        return self

    def __exit__(self, kind, exc, tb) -> None:
        """Close the pool; cancel the pages still queued when the block failed."""
        self.close(cancel=kind is not None)


def _serve(jobs, answers: list, parent: int) -> None:
    """Return the first worker: wait for "start", warm up, fork the others, then work.

    ``answers`` holds the writing end of one pipe per worker; each worker keeps only its
    own, so that a pipe's end of file tells the build that its worker ended.
    """
    from .processes import exit_with_parent

    exit_with_parent(parent)  # a killed build leaves no worker waiting for jobs
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle
    message = jobs.get()
    if message is None:  # closed before the data was checked
        return
    # Yield the cores to the kernel host and the kernels: rendering waits for a notebook
    # anyway, and a build is done when its last notebook has executed and rendered.
    # Measured on 2 cores: the million-event build 0.5 s sooner, the others the same.
    os.nice(RENDER_NICENESS)
    _warm_up()
    me, children = os.getpid(), []
    for index in range(1, len(answers)):
        pid = os.fork()
        if pid == 0:
            exit_with_parent(me)
            _work(jobs, _keep_only(answers, index))
            os._exit(0)
        children.append(pid)
    _work(jobs, _keep_only(answers, 0))
    for pid in children:  # their answers are sent before we report ending
        os.waitpid(pid, 0)


def _keep_only(answers: list, index: int):
    """Close every worker's pipe but the one at ``index``, and return that one."""
    for i, conn in enumerate(answers):
        if i != index:
            conn.close()
    return answers[index]


def _work(jobs, answer) -> None:
    import pickle

    while (message := jobs.get()) is not None:
        job, args = message
        try:
            reply = (job, True, render_files(*args))
        except Exception as exc:  # noqa: BLE001 - sent back and raised in the build
            try:
                pickle.loads(pickle.dumps(exc))
            except Exception:  # noqa: BLE001 - an error that cannot travel: send its text
                exc = RuntimeError(f"{type(exc).__name__}: {exc}")
            reply = (job, False, exc)
        answer.send(reply)
