"""What every exporter shares: the flashpoint version stamp, the outlet of a source, spreadsheet-safe
text cells, and the warning raised when an exporter leaves rows out.

- ``flashpoint_version()`` / ``coder()``: every output says which flashpoint wrote it (ACLED ``notes``,
  PLOVER ``coder`` and ``version``, CAMEO ``coder``, GeoJSON / JSON ``flashpoint_version``, Parquet file
  metadata).
- ``outlet(source, url)``: the ``source`` of an event row is the outlet, else the host of the article's
  URL, never the input file name or article id.
- ``neutralise_formula(text)``: a text cell starting with ``= + - @`` (or a tab / carriage return) is a
  formula to Excel, LibreOffice and Google Sheets ("CSV injection"); it gets a leading apostrophe.
- ``ExportWarning`` / ``warn_left_out``: rows an exporter cannot or must not write (a GeoJSON feature
  without coordinates, a denied event in PLOVER) are counted in one warning per export.
"""
from __future__ import annotations

import warnings
from urllib.parse import urlsplit

CODER_NAME = "flashpoint"
# what a spreadsheet reads as the start of a formula (OWASP "CSV injection")
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
FORMULA_ESCAPE = "'"
# a host's leading "www." says nothing about the outlet
HOST_PREFIX_DROPPED = "www."


class ExportWarning(UserWarning):
    """Rows an exporter left out (counted), e.g. GeoJSON events without coordinates."""


def flashpoint_version() -> str:
    """The version of the flashpoint that writes the output (``flashpoint.__version__``)."""
    from flashpoint import __version__

    return __version__


def coder() -> str:
    """``"flashpoint <version>"``: the PLOVER ``coder`` value and the ACLED ``notes`` tag."""
    return f"{CODER_NAME} {flashpoint_version()}"


def url_host(url: str | None) -> str:
    """The host of a URL without ``www.`` ("https://www.trtworld.com/x" -> "trtworld.com"); "" if none."""
    if not url:
        return ""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:  # e.g. "http://[bad" - not a URL, so no host
        return ""
    return host[len(HOST_PREFIX_DROPPED):] if host.startswith(HOST_PREFIX_DROPPED) else host


def outlet(source: str | None, url: str | None = None) -> str:
    """The reporting outlet: the article's ``source`` when it has one, else its URL's host, else ""."""
    name = (source or "").strip()
    return name or url_host(url)


def neutralise_formula(value):
    """A text value a spreadsheet would run as a formula, prefixed with an apostrophe; others unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return FORMULA_ESCAPE + value
    return value


def warn_left_out(count: int, what: str) -> None:
    """One ExportWarning "<count> <what>" when ``count`` rows were left out of an export."""
    if count:
        warnings.warn(f"{count} {what}", ExportWarning, stacklevel=3)
