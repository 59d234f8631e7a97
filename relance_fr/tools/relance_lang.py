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
        "list": " ; ",
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
        "list": "; ",
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


# The customer's page (controllers/relance_portal*.py): what its Python code writes, in the
# customer's language (its templates' texts are in i18n/en_GB.po like the messages')
PAGE = {
    FRENCH: {
        "title": "%s – votre compte client",
        "pay_title": "%s – paiement en ligne",
        "pay_button": "Payer %s",
        "settle": "Régler %s",
        "not_found_title": "Page introuvable",
        "not_found": "Ce lien ne mène à aucun compte : il est incomplet, ou un lien plus récent "
        "vous a été envoyé. Utilisez celui de notre dernier courriel ou courrier.",
        "not_found_json": "Page introuvable.",
        "expired_title": "Lien expiré",
        "expired": "Ce lien vers votre compte client a expiré. Nous pouvons envoyer un nouveau lien "
        "à l'adresse de facturation que nous connaissons pour votre société.",
        "expired_json": "Ce lien a expiré : rechargez la page.",
        "error_title": "Erreur",
        "error": "Une erreur est survenue de notre côté. Réessayez dans quelques minutes, ou "
        "appelez votre interlocuteur habituel.",
        "error_json": "Une erreur est survenue : réessayez dans quelques minutes.",
        "too_many_title": "Trop de demandes",
        "too_many": "Vous avez envoyé beaucoup de demandes en peu de temps : merci de réessayer dans "
        "une heure, ou d'appeler directement votre interlocuteur.",
        "no_billing_email": "Nous n'avons pas d'adresse électronique de facturation pour votre société : "
        "appelez-nous pour recevoir un nouveau lien.",
        "renewed_title": "Nouveau lien envoyé",
        "renewed": "Un nouveau lien vers votre compte vient d'être envoyé à l'adresse électronique de "
        "facturation que nous connaissons pour votre société.",
        "preparing_title": "Document en préparation",
        "preparing": "Votre document est en cours de préparation : réessayez dans quelques secondes.",
        "statement_file": "Releve de compte %s.pdf",
        "upload_empty": "Le fichier joint est vide.",
        "upload_too_big": "Le fichier joint dépasse 10 Mo : merci d'en envoyer une version plus légère.",
        "upload_type": "Le fichier joint doit être un PDF, une image JPEG ou PNG.",
        "already_paid": "Déjà réglé : %s ne reste plus à payer. Merci ! "
        "Rechargez la page pour voir votre compte à jour.",
        "promise_date": "Indiquez la date à laquelle vous prévoyez de régler, au format jj/mm/aaaa.",
        "comment_too_long": "Votre commentaire dépasse %s caractères.",
        "paid_date": "Indiquez la date de votre règlement, au format jj/mm/aaaa.",
        "paid_amount": "Indiquez le montant réglé, par exemple 1 250,00.",
        "means_too_long": "Le moyen de paiement tient en %s caractères au plus.",
        "paid_amount_range": "Le montant déclaré doit être compris entre %(low)s et ce que les factures "
        "choisies laissent à payer (%(balance)s).",
        "paid_too_old": "Ce règlement date de plus d'un an : appelez votre interlocuteur, "
        "nous le retrouverons ensemble.",
        "date_past": "La date de règlement prévue est déjà passée : "
        "indiquez aujourd'hui ou une date à venir.",
        "date_future_paid": "Un règlement déjà effectué ne peut pas être daté dans le futur.",
        "date_too_far": "Nous ne pouvons pas enregistrer en ligne une promesse à plus de %(days)s jours. "
        "Appelez %(name)s%(phone)s : nous trouverons ensemble une solution, par exemple un échéancier.",
        "phone": " au %s",
        "dispute_reason": "Choisissez le motif de votre contestation dans la liste.",
        "dispute_description": "Décrivez ce qui ne va pas sur la facture (au plus %s caractères).",
        "message_empty": "Écrivez votre message (au plus %s caractères).",
        "pay_select": "Sélectionnez une ou plusieurs factures d'une même devise à régler.",
        "pay_disputed": "Une facture contestée ne se règle pas en ligne "
        "tant que la contestation est ouverte.",
        "pay_unavailable": "Le paiement en ligne n'est pas disponible : réglez par virement.",
        "pay_changed": "Les montants à régler ont changé : rechargez la page avant de payer.",
        "pay_flow": "Ce mode de paiement n'est pas proposé ici.",
        "pay_means": "Ce moyen de paiement n'est pas proposé ici.",
        "pay_done": "Ces factures sont déjà réglées en ligne : le paiement sera visible sur votre compte "
        "dans quelques instants. Rechargez la page.",
        "pay_under_way": "Un paiement de ces factures est déjà en cours (dans un autre onglet, peut-être) : "
        "terminez-le, ou réessayez dans %s minutes.",
        "plan_open": "à venir",
        "plan_paid": "réglée",
        "plan_late": "en retard",
        # the page's own words (the template's terms of one character are not translatable)
        "day_late": "%s j",
        "days_late": "%s j",
        "colon": " :",
        "renew": "Recevoir un nouveau lien par courriel",
        # the email of a fresh link asked from an expired one (HTML: intro and outro)
        "renew_subject": "%s – votre nouveau lien d'accès à votre compte",
        "renew_intro": "<p>Bonjour,</p><p>Vous avez demandé un nouveau lien vers votre compte client chez "
        "<strong>%s</strong>. Le voici ; les liens précédents ne fonctionnent plus.</p>",
        "renew_outro": "<p>Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : "
        "votre compte reste accessible à vous seul par ce lien.</p><p>Service comptabilité – %s</p>",
    },
    ENGLISH: {
        "title": "%s – your customer account",
        "pay_title": "%s – online payment",
        "pay_button": "Pay %s",
        "settle": "Pay %s",
        "not_found_title": "Page not found",
        "not_found": "This link leads to no account: it is incomplete, or a more recent link has been "
        "sent to you. Use the one in our latest email or letter.",
        "not_found_json": "Page not found.",
        "expired_title": "Link expired",
        "expired": "This link to your customer account has expired. We can send a new link to the "
        "invoicing address we have on file for your company.",
        "expired_json": "This link has expired: reload the page.",
        "error_title": "Error",
        "error": "Something went wrong on our side. Try again in a few minutes, or call your usual "
        "contact.",
        "error_json": "Something went wrong: try again in a few minutes.",
        "too_many_title": "Too many requests",
        "too_many": "You have sent many requests in a short time: please try again in an hour, or "
        "call your contact directly.",
        "no_billing_email": "We have no invoicing email address for your company: call us to receive "
        "a new link.",
        "renewed_title": "New link sent",
        "renewed": "A new link to your account has just been sent to the invoicing email address we "
        "have on file for your company.",
        "preparing_title": "Document being prepared",
        "preparing": "Your document is being prepared: try again in a few seconds.",
        "statement_file": "Account statement %s.pdf",
        "upload_empty": "The attached file is empty.",
        "upload_too_big": "The attached file is larger than 10 MB: please send a lighter version.",
        "upload_type": "The attached file must be a PDF, a JPEG or a PNG image.",
        "already_paid": "Already paid: nothing remains to pay on %s. Thank you! "
        "Reload the page to see your account up to date.",
        "promise_date": "Enter the date on which you plan to pay, as dd/mm/yyyy.",
        "comment_too_long": "Your comment is longer than %s characters.",
        "paid_date": "Enter the date of your payment, as dd/mm/yyyy.",
        "paid_amount": "Enter the amount paid, for example 1,250.00.",
        "means_too_long": "The means of payment takes %s characters at most.",
        "paid_amount_range": "The amount declared must be between %(low)s and what the invoices chosen "
        "leave to pay (%(balance)s).",
        "paid_too_old": "This payment is more than a year old: call your contact, we will trace it together.",
        "date_past": "The planned payment date has already passed: enter today or a date to come.",
        "date_future_paid": "A payment already made cannot be dated in the future.",
        "date_too_far": "We cannot record online a promise more than %(days)s days ahead. "
        "Call %(name)s%(phone)s: together we will find a solution, a payment plan for instance.",
        "phone": " on %s",
        "dispute_reason": "Choose the reason for your dispute from the list.",
        "dispute_description": "Describe what is wrong with the invoice (%s characters at most).",
        "message_empty": "Write your message (%s characters at most).",
        "pay_select": "Select one or more invoices in the same currency to pay.",
        "pay_disputed": "A disputed invoice cannot be paid online while the dispute is open.",
        "pay_unavailable": "Online payment is not available: please pay by bank transfer.",
        "pay_changed": "The amounts to pay have changed: reload the page before paying.",
        "pay_flow": "This payment mode is not offered here.",
        "pay_means": "This means of payment is not offered here.",
        "pay_done": "These invoices are already paid online: the payment will show on your account in "
        "a few moments. Reload the page.",
        "pay_under_way": "A payment of these invoices is already under way (in another tab, perhaps): "
        "finish it, or try again in %s minutes.",
        "plan_open": "to come",
        "plan_paid": "paid",
        "plan_late": "late",
        "day_late": "%s day",
        "days_late": "%s days",
        "colon": ":",
        "renew": "Email me a new link",
        "renew_subject": "%s – your new link to your account",
        "renew_intro": "<p>Hello,</p><p>You asked for a new link to your customer account with "
        "<strong>%s</strong>. Here it is; the links sent before no longer work.</p>",
        "renew_outro": "<p>If you did not ask for it, ignore this message: your account stays "
        "accessible to you alone through this link.</p><p>Accounts department – %s</p>",
    },
}
# The page's confirmations after a form or a payment in English (French: relance_portal.DONE)
DONE_ENGLISH = {
    "promise": "Thank you: your promise to pay is recorded. We suspend our reminders for the invoices "
    "concerned until the date given. An email confirms it.",
    "paid": "Thank you: we have noted your payment. We match it with our accounts as soon as we receive "
    "it and suspend our reminders until then. An email confirms it.",
    "dispute": "Your dispute is recorded: the invoice is set aside while we look into it, and your "
    "contact will get back to you. An email confirms it.",
    "message": "Your message has been passed on to your contact, who will answer you shortly. "
    "An email confirms it.",
    "pay": "Thank you for your payment. The invoices paid leave the items to pay as soon as the "
    "payment is confirmed.",
}


def page_words(lang):
    """The words of the customer's page in ``lang`` (French when ``lang`` has none)."""
    return PAGE.get(lang, PAGE[FRENCH])


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
    # the customer's page
    "relance_portal_layout",
    "relance_portal_contact",
    "relance_portal_page",
    "relance_portal_pay",
)
