"""Pure layout rules of the French business letter: plain values in, plain values out.

wkhtmltopdf scales CSS lengths (mm, pt, px) by a factor that depends on its build ("smart
shrinking"). The letter pins that factor: its page body is ``PX_PER_MM`` pixels per millimetre
of printable width, wider than any build's natural print width, so every build shrinks it to
exactly the printable width. Sizes are then given in pixels worked out from millimetres of
paper, and positions on the sheet (LEGAL-FR §7) in percentages of the printable width.
"""

import io
import re
import unicodedata

import qrcode

# The window of a French window envelope: a safe zone of at most 85 x 33 mm
WINDOW_SIZE = (85.0, 33.0)
# An address read by La Poste: at most 6 lines of 38 characters (NF Z10-011)
ADDRESS_MAX_LINES = 6
ADDRESS_LINE_LENGTH = 38
# Inner margin of the address inside the window, so that no letter touches its edge
WINDOW_PADDING = 2.0
# CSS pixels per millimetre of paper in a printed letter, and the size of its type
PX_PER_MM = 6.0
FONT_SIZE_PT = 10.0


def postal_upper(text):
    """``Saint-Étienne`` -> ``SAINT-ETIENNE``: capitals without accents, as La Poste asks
    for the last lines of an address."""
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).upper().strip()


def postal_lines(name, attention, street, street2, zip_code, city, country=None):
    """The recipient's address block: name, attention line, street, complement,
    ``ZIP CITY`` in capitals, then the country in capitals when abroad: at most 6 lines,
    each cut at 38 characters."""
    city_line = " ".join(filter(None, [(zip_code or "").strip(), postal_upper(city)]))
    lines = [name, attention, street, street2, city_line, postal_upper(country)]
    lines = [re.sub(r"\s+", " ", line).strip() for line in lines if line and line.strip()]
    return [line[:ADDRESS_LINE_LENGTH] for line in lines][:ADDRESS_MAX_LINES]


def foreign_postal_lines(name, attention, address_format, fields, country):
    """The address of a letter abroad in the destination country's format (Odoo's
    ``address_format``, e.g. ``%(city)s %(state_code)s %(zip)s`` for the United States), the
    lines holding the city, the state or the postcode in capitals without accents, then the
    country in French capitals: ``SAN FRANCISCO CA 94105`` / ``ETATS-UNIS`` (LEGAL-FR §7). At
    most 6 lines of 38 characters; ``fields`` maps the format's keys to values."""
    lines = [name, attention]
    for pattern in (address_format or "").split("\n"):
        if "%(country_" in pattern:
            continue  # the country goes last, in French
        try:
            line = pattern % _Blank(fields)
        except (KeyError, ValueError, TypeError):
            continue
        if any(f"%({key})s" in pattern for key in ("city", "state_code", "state_name", "zip")):
            line = postal_upper(line)
        lines.append(line)
    lines.append(postal_upper(country))
    lines = [re.sub(r"\s+", " ", line).strip() for line in lines if line and line.strip()]
    return [line[:ADDRESS_LINE_LENGTH] for line in lines][:ADDRESS_MAX_LINES]


class _Blank(dict):
    """Format values where an unknown or empty key gives an empty text."""

    def __missing__(self, key):
        return ""

    def __getitem__(self, key):
        return dict.get(self, key) or ""


def window_geometry(page, margins, window_left, window_top, window_size=WINDOW_SIZE):
    """Where the letter's blocks go, as CSS percentages.

    ``page`` is ``(width, height)`` of the sheet in mm, ``margins`` ``(top, right, bottom,
    left)`` in mm, ``window_left``/``window_top`` the envelope window's corner on the sheet.
    The head of the letter is a box as wide as the printable area whose height comes from a
    ``padding-top`` in % of that width; the address block is placed inside it in % of the
    head's width (``left``, ``width``) and height (``top``, ``height``). ``body_width`` is the
    page body's width in CSS pixels and ``font_size`` the letter's type size in pixels.
    """
    page_width, page_height = page
    top_margin, right_margin, bottom_margin, left_margin = margins
    width = page_width - left_margin - right_margin
    height = page_height - top_margin - bottom_margin
    left = min(max(window_left, left_margin), page_width - right_margin - 20.0)
    top = max(window_top, top_margin)
    window_width = min(window_size[0], page_width - right_margin - left)
    head = top + window_size[1] + 4.0 - top_margin

    def pct(value, base):
        return round(value / base * 100.0, 4)

    return {
        "page_width": round(width, 2),
        "page_height": round(height, 2),
        "head": pct(head, width),
        "left": pct(left - left_margin, width),
        "top": pct(top - top_margin, head),
        "width": pct(window_width, width),
        "height": pct(window_size[1], head),
        "padding": pct(WINDOW_PADDING, width),
        "company_width": pct(max(left - left_margin - 8.0, 40.0), width),
        "body_width": round(width * PX_PER_MM, 2),
        "font_size": round(FONT_SIZE_PT * 25.4 / 72 * PX_PER_MM, 2),
        "px_per_mm": PX_PER_MM,
    }


def rate_periods(lines):
    """Interest periods of a reminder grouped by rate: ``[(rate, first day, last day)]``,
    in date order. ``lines`` are dicts with ``rate_value``, ``date_start`` and ``date_end``."""
    periods = {}
    for line in lines:
        rate = line["rate_value"]
        start, end = periods.get(rate, (line["date_start"], line["date_end"]))
        periods[rate] = (min(start, line["date_start"]), max(end, line["date_end"]))
    return sorted(((rate, start, end) for rate, (start, end) in periods.items()), key=lambda p: (p[1], p[0]))


def format_iban(iban):
    """``FR7630006000011234567890189`` -> ``FR76 3000 6000 0112 3456 7890 189``."""
    compact = re.sub(r"\s+", "", iban or "").upper()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def qr_png(value):
    """A QR code of ``value`` as PNG bytes (the ``qrcode`` library Odoo requires for its own 2FA;
    Odoo's ``/report/barcode`` needs a reportlab renderer that is not always installed)."""
    image = qrcode.make(value, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
