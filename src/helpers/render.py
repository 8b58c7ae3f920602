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
from pathlib import Path

from .paths import TEMPLATES_DIR

REMOVE_TAGS = {"remove-cell", "notebook-only"}

_ACTIVE = [
    (re.compile(r"<\s*script", re.I), "a <script> element"),
    (
        re.compile(r"<\s*(iframe|object|embed|frame|base|form)\b", re.I),
        "an embedded frame or object",
    ),
    (re.compile(r"<[^>]*\son[a-z]+\s*=", re.I), "an event-handler attribute"),
    (
        re.compile(r"""(href|src|action)\s*=\s*["']?\s*(javascript|vbscript):""", re.I),
        "a script URL",
    ),
    (re.compile(r"<\s*link\b", re.I), "an external stylesheet link"),
    (
        re.compile(r"@import|url\(\s*['\"]?\s*(https?:)?//", re.I),
        "a stylesheet fetching from the network",
    ),
    (
        re.compile(r"""src\s*=\s*["']?\s*(https?:)?//""", re.I),
        "an image or script fetched from the network",
    ),
]


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


def html_to_pdf(html: str, base_url: str | Path | None = None) -> bytes:
    """A4 PDF bytes of ``html`` rendered by WeasyPrint (no network: nothing is fetched)."""
    from weasyprint import HTML

    def refuse(url, *args, **kwargs):
        if url.startswith("data:"):
            from weasyprint import default_url_fetcher

            return default_url_fetcher(url, *args, **kwargs)
        raise ValueError(f"briefings fetch nothing; refused {url[:80]}")

    buf = io.BytesIO()
    document = HTML(string=html, base_url=str(base_url or "."), url_fetcher=refuse)
    document.write_pdf(buf, uncompressed_pdf=False)
    return buf.getvalue()
