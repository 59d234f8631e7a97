"""Pure rules of the customer's page forms: plain values in, plain values out (no env)."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_COMMENT = 2000  # characters of a comment, description or message
MAX_MEANS = 100  # characters of "how it was paid"
MAX_AMOUNT = Decimal("1000000000")
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
        if not re.fullmatch(r"\d{1,10}", value or ""):
            return None
        ids.append(int(value))
    return sorted(set(ids))


def clean_text(value, max_length):
    """The text stripped, or ``None`` when longer than ``max_length`` characters."""
    value = (value or "").replace("\r\n", "\n").strip()
    return None if len(value) > max_length else value
