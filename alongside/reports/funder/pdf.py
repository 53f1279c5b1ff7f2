"""The funder report as a tagged PDF (PDF/UA-1): a title, the reader's language, real headings
and table headers, in the fonts installed on the server. Nothing is fetched: the styles are in
the page, and the fonts are the system's (fontconfig), so no address is ever opened."""

from django.template.loader import render_to_string
from django.utils.translation import get_language
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from alongside.reports.funder.report import FunderReport


def local_only_fetcher() -> URLFetcher:
    """WeasyPrint's fetcher allowed only `data:` addresses: the report is one HTML string with
    its styles inside, so any other address (a remote image, a web font) is refused."""
    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def document_language() -> str:
    """The PDF's language tag: fr-CA for French readers, else en."""
    return "fr-CA" if (get_language() or "en").lower().startswith("fr") else "en"


def render_pdf(report: FunderReport, *, title: str) -> bytes:
    html = render_to_string(
        "reports/funder_pdf.html",
        {"report": report, "title": title, "language": document_language()},
    )
    document = HTML(string=html, url_fetcher=local_only_fetcher())
    return document.write_pdf(pdf_variant="pdf/ua-1")  # type: ignore[no-any-return]
