"""The language of a message to a customer (issue 20 §7), and the few words our Python code
puts in it. No database: plain values in, plain values out.

French law texts are French (SPEC §5): every customer reads French, whatever its language
setting, except a foreign customer that reads English. English texts live in Odoo under the
``en_GB`` key of the translated fields (``i18n/en_GB.po``): ``en_US`` is the key of the source,
which is French in this module, so an ``en.po`` (loaded for every English variant, ``en_US``
included) would replace the French source itself.
"""

from markupsafe import Markup

FRENCH = "fr_FR"
ENGLISH = "en_GB"
# France and the overseas territories where French is the language of business
FRENCH_TERRITORIES = frozenset({"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF", "TF"})


def message_lang(lang, country_code):
    """``fr_FR`` or ``en_GB``: English only for a customer whose language is an English one
    (``en_US``, ``en_GB``…) and whose country is known and is neither France nor a French
    overseas territory; French for everyone else (a French customer whose Odoo language is
    ``en_US``, a customer without country, a Belgian customer in ``fr_BE``)."""
    english = (lang or "").split("_")[0].lower() == "en"
    abroad = bool(country_code) and country_code.upper() not in FRENCH_TERRITORIES
    return ENGLISH if english and abroad else FRENCH


def is_english(lang):
    """Whether ``lang`` (a result of ``message_lang``) is English."""
    return lang == ENGLISH


# Words the Python code writes into a message, in the customer's language
WORDS = {
    FRENCH: {
        "attention": "À l'attention de %s",
        "stage": "%(level)s du %(date)s",
        "by_phone": "par téléphone le %s",
        "by_email": "par courriel le %s",
        "by_registered": "par lettre recommandée n° %(number)s postée le %(date)s",
        "presented": ", présentée le %s",
        "by_post": "par courrier posté le %s",
        "and": " et ",
        "on": "le %s",
        "step": "%(level)s : %(how)s",
        "instalment": "Échéance",
    },
    ENGLISH: {
        "attention": "For the attention of %s",
        "stage": "%(level)s of %(date)s",
        "by_phone": "by phone on %s",
        "by_email": "by email on %s",
        "by_registered": "by registered letter no. %(number)s posted on %(date)s",
        "presented": ", delivered on %s",
        "by_post": "by letter posted on %s",
        "and": " and ",
        "on": "on %s",
        "step": "%(level)s: %(how)s",
        "instalment": "Instalment",
    },
}


# The default levels' names in English, by their template (relance_fr.mail_template_<key>)
LEVEL_NAMES = {
    "pre_due": "Advance notice",
    "reminder": "Friendly reminder",
    "relance_1": "Reminder 1",
    "relance_2": "Reminder 2",
    "relance_3": "Reminder 3",
    "formal_notice": "Formal notice",
}


def level_name(name, template_key, lang):
    """A level's name as the customer reads it: its own name in French, in English the name
    of its kind of message (``Reminder 2``), or its own when it is none of ours."""
    if is_english(lang):
        return LEVEL_NAMES.get(template_key, name)
    return name


# The age buckets of a statement (relance.event.BUCKET_LABELS) and the kinds of its items
# (relance.event._item_label) in English
BUCKET_LABELS = {
    "not_due": "Not yet due",
    "1_30": "1 to 30 days",
    "31_60": "31 to 60 days",
    "61_90": "61 to 90 days",
    "over_90": "Over 90 days",
}
ITEM_LABELS = {"Facture": "Invoice", "Avoir": "Credit note", "Paiement": "Payment", "Écriture": "Entry"}


def ordinal(number):
    """English ordinal of an instalment: 1st, 2nd, 3rd, 4th… 11th, 12th, 13th, 21st."""
    if number % 100 in (11, 12, 13):
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th')}"


def format_percent(value, lang):
    """A share as the customer reads it: ``85 %``, ``85,5 %`` in French; ``85%``, ``85.5%`` in
    English (no decimal when it is whole to 0.05)."""
    whole = abs(value - round(value)) < 0.05
    text = ("%.0f" % value) if whole else ("%.1f" % value)
    if is_english(lang):
        return f"{text}%"
    return f"{text.replace('.', ',')} %"


def words(lang):
    """The words of ``WORDS`` in ``lang`` (French when ``lang`` has none)."""
    return WORDS.get(lang, WORDS[FRENCH])


def format_rate(rate, lang):
    """A yearly rate as the customer reads it: ``7,86 %`` in French, ``7.86%`` in English."""
    if is_english(lang):
        return f"{rate:.2f}%"
    return f"{rate:.2f} %".replace(".", ",")


def salutation(title, name, person):
    """``(salutation, closing)`` of an English message (the English counterpart of
    ``relance_legal.salutation``): ``Dear Mr. Smith,`` / ``Yours sincerely,`` to a person of
    known title (``title`` is its short form: ``Mr.``, ``Dr.``), ``Dear Mary Smith,`` to a
    person without title, ``Dear Sir or Madam,`` / ``Yours faithfully,`` when nothing is known."""
    name = " ".join((name or "").split()) if person else ""
    if name and title:
        words_ = name.split(" ")
        surname = " ".join(words_[1:]) if len(words_) > 1 else name
        return f"Dear {title} {surname},", "Yours sincerely,"
    if name:
        return f"Dear {name},", "Yours sincerely,"
    return "Dear Sir or Madam,", "Yours faithfully,"


def closing(civility, lang):
    """The closing line of a letter: French, the formal formula addressed to ``civility``;
    English, ``civility`` is already the closing (``Yours faithfully,``)."""
    if is_english(lang):
        return civility
    return Markup("Veuillez agréer, %s, l'expression de nos salutations distinguées.") % civility


# What a foreign customer reads in English: these records' texts have an English translation
# in i18n/en_GB.po (tests/test_translation.py checks it)
ENGLISH_RECORDS = (
    "mail_template_pre_due",
    "mail_template_reminder",
    "mail_template_relance_1",
    "mail_template_relance_2",
    "mail_template_relance_3",
    "mail_template_formal_notice",
    "relance_einvoice_recitals",
    "relance_invoice_table",
    "relance_previous_block",
    "relance_payment_block",
    "relance_signature",
    "report_relance_letter_document",
    "relance_letter_invoice_table",
    "relance_letter_penalties",
    "relance_letter_payment",
    # event messages (invoice, payments, account) and their shared blocks
    "mail_template_welcome",
    "mail_template_invoice",
    "mail_template_payment_received",
    "mail_template_partial_payment",
    "mail_template_payment_failed",
    "mail_template_credit_limit",
    "mail_template_large_balance",
    "mail_template_statement",
    "relance_contact_block",
    "relance_pay_block",
    "relance_open_items",
    "relance_statement_table",
    # payment plans and their shared blocks
    "mail_template_plan_schedule",
    "mail_template_plan_notice",
    "mail_template_plan_late",
    "relance_plan_invoices",
    "relance_plan_schedule",
    "relance_plan_pay",
    "report_relance_plan_document",
    # the monthly statement's PDF
    "report_relance_statement_document",
    # disputes and the acknowledgments of the customer's page
    "mail_template_dispute_rejected",
    "mail_template_portal_ack_promise",
    "mail_template_portal_ack_paid",
    "mail_template_portal_ack_dispute",
    "mail_template_portal_ack_message",
)
