"""Rendering executed notebooks into self-contained HTML and A4 PDF.

HTML comes from nbconvert with the project's own template (``templates/briefing``): no
code, no prompts, no parameter cells, images inline, styles inline, no script. The PDF is
WeasyPrint's rendering of that same HTML. Before anything is written, the HTML is checked
for active content (script, event handlers, ``javascript:`` links, frames, external
resources); finding any is an error, never a warning, so it cannot be published.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .paths import TEMPLATES_DIR

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
    """Finds active content in tags and stylesheets, with attribute values decoded as a
    browser decodes them (``&#106;avascript:`` is ``javascript:``)."""

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
    """What the template needs besides the notebook."""

    title: str
    appendix_html: str = ""
    version_label: str = ""


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
        }
    }
    html, _ = exporter.from_notebook_node(nb, resources=resources)
    check_no_active_content(html, page.title)
    return html


def _data_only_fetcher():
    """A WeasyPrint URL fetcher that serves ``data:`` URIs and refuses everything else."""
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


def html_to_pdf(html: str, base_url: str | Path | None = None) -> bytes:
    """A4 PDF bytes of ``html`` rendered by WeasyPrint; nothing but inline data is fetched."""
    from weasyprint import HTML

    buf = io.BytesIO()
    document = HTML(string=html, base_url=str(base_url or "."), url_fetcher=_data_only_fetcher())
    document.write_pdf(buf)
    return buf.getvalue()
