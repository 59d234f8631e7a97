"""Pure rules of the customer's page forms: plain values in, plain values out (no env)."""

import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_COMMENT = 2000  # characters of a comment, description or message
MAX_MEANS = 100  # characters of "how it was paid"
MAX_AMOUNT = Decimal("1000000000")
MAX_ID = 2**31 - 1  # the database's integer: a larger id is nobody's (404, never a crash)
PAID_TOLERANCE = Decimal("0.01")  # a declared payment may exceed the balance by 1 % (fees, rounding)
PAID_MAX_AGE_DAYS = 365  # a declared payment is dated within the last 12 months
# every response under /relance (one place, used by every route of the page)
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Content-Type-Options": "nosniff",
}
# what the page accepts per hour, per kind of request: (per token, per address)
LIMITS = {
    "form": (10, 30),  # promises, payments declared, disputes, messages
    "pay": (10, 30),  # payment transactions started
    "download": (30, 60),  # invoice and statement PDFs
    "renew": (3, 10),  # fresh links asked from an expired one
}
# what a file must start with to be what it says (never trust the name or the browser)
MAGIC = {
    "pdf": (b"%PDF-",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
MIMETYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
# the page's confirmations after a form or a payment, by the code the redirect carries
DONE = {
    "promise": "Merci : votre promesse de règlement est enregistrée. Nous suspendons nos relances "
    "pour les factures concernées jusqu'à la date indiquée. Un courriel vous le confirme.",
    "paid": "Merci : nous avons bien noté votre règlement. Nous le rapprochons de nos comptes dès sa "
    "réception et suspendons nos relances d'ici là. Un courriel vous le confirme.",
    "dispute": "Votre contestation est enregistrée : la facture est mise de côté le temps de "
    "l'examiner, et votre interlocuteur revient vers vous. Un courriel vous le confirme.",
    "message": "Votre message est transmis à votre interlocuteur, qui vous répondra rapidement. "
    "Un courriel vous le confirme.",
    "pay": "Merci pour votre paiement. Les factures réglées ne figurent plus parmi les pièces à régler "
    "dès que le paiement est confirmé.",
}


def file_kind(data):
    """``'pdf'``, ``'jpeg'`` or ``'png'`` from a file's first bytes, else ``None``."""
    head = bytes(data[:16])
    for kind, signatures in MAGIC.items():
        if head.startswith(signatures):
            return kind
    return None


def upload_problem(data):
    """Why an uploaded file is refused (``'empty'``, ``'too_big'``, ``'type'``), or ``None``."""
    if not data:
        return "empty"
    if len(data) > MAX_UPLOAD_BYTES:
        return "too_big"
    if file_kind(data) is None:
        return "type"
    return None


def parse_date(value):
    """A date typed in a form (``YYYY-MM-DD`` from a date field, or ``DD/MM/YYYY``), else ``None``."""
    value = (value or "").strip()
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value) or re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", value)
    if not match:
        return None
    parts = [int(p) for p in match.groups()]
    year, month, day = parts if len(match.group(1)) == 4 else parts[::-1]
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_amount(value):
    """A positive amount typed in French or English (``1 234,56``, ``1234.56``), at most two
    decimals and below a billion, as a float; else ``None``."""
    value = re.sub(r"[\s\u00a0\u202f€]", "", value or "")
    if not re.fullmatch(r"\d+([.,]\d{1,2})?", value):
        return None
    try:
        amount = Decimal(value.replace(",", "."))
    except InvalidOperation:
        return None
    if amount <= 0 or amount >= MAX_AMOUNT:
        return None
    return float(amount)


def parse_ids(values):
    """Record ids posted by a form (strings), or ``None`` when one is not a plain number."""
    ids = []
    for value in values:
        if not re.fullmatch(r"\d{1,10}", value or "") or int(value) > MAX_ID:
            return None
        ids.append(int(value))
    return sorted(set(ids))


def clean_text(value, max_length):
    """The text stripped, or ``None`` when longer than ``max_length`` characters."""
    value = (value or "").replace("\r\n", "\n").strip()
    return None if len(value) > max_length else value


def paid_amount_problem(amount, balance):
    """Why a declared payment of ``amount`` against invoices owing ``balance`` is implausible
    (``'too_small'`` below 0,01, ``'too_big'`` above the balance plus 1 %), or ``None``."""
    amount = Decimal(str(amount))
    ceiling = (Decimal(str(balance)) * (1 + PAID_TOLERANCE)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    if amount < Decimal("0.01"):
        return "too_small"
    if amount > ceiling:
        return "too_big"
    return None


def paid_date_too_old(day, today):
    """Whether a payment declared as made on ``day`` is older than twelve months."""
    return day < today - timedelta(days=PAID_MAX_AGE_DAYS)


def link_expired(last_sent, today, days):
    """Whether a link last carried by a message on ``last_sent`` has expired on ``today`` after
    ``days`` days (never without a date or a period)."""
    return bool(last_sent and days and today > last_sent + timedelta(days=days))


def over_limit(kind, token_count, address_count):
    """Whether one more request of ``kind`` goes beyond the hour's limit, given the counts
    already made this hour with the same token and from the same address."""
    per_token, per_address = LIMITS[kind]
    return token_count >= per_token or address_count >= per_address


REDACTED = "lien-personnel-masque"
LINK_RE = re.compile(r"(/relance/)[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")


def redact_links(html):
    """``html`` with the secret of every link to a customer's page replaced (the stored copy
    of a message; the email sent keeps the live link)."""
    return LINK_RE.sub(rf"\g<1>{REDACTED}", html)
