from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.tools import SQL, plaintext2html

from .. import compat
from ..tools import relance_lang, relance_portal, relance_rules
from .relance_dispute import REASONS
from .relance_reminder import LANG, MAIL_LAYOUT

OPEN = ("not_paid", "partial")
# the day's rendered documents of the page (ir.attachment names; deleted the next day)
CACHE_PREFIX = "relance_portal_document/"
RENDER_LOCK = 7_421_021  # the advisory lock class of "rendering a document of the customer's page"


class RelancePortal(models.AbstractModel):
    """What the customer's page (controllers/relance_portal.py) shows and what its forms record,
    for one commercial customer of one company. Called in sudo by the controller: every read is
    limited to that customer, every write is one of the forms' records."""

    _name = "relance.portal"
    _description = "Customer page (dunning)"

    # ------------------------------------------------------------------
    # What the page reads
    # ------------------------------------------------------------------
    @api.model
    def _company_of(self, partner):
        """The company whose account the page shows: the customer's own, else the one of its
        latest open invoice, else the current one. ``None`` when that company is closed."""
        company = partner.company_id
        if not company:
            company = (
                self.env["account.move"]
                .with_context(active_test=False)
                .search(
                    [
                        ("commercial_partner_id", "=", partner.id),
                        ("move_type", "=", "out_invoice"),
                        ("state", "=", "posted"),
                        ("payment_state", "in", OPEN),
                    ],
                    order="invoice_date desc, id desc",
                    limit=1,
                )
                .company_id
            ) or self.env.company
        return company if company.active else None

    @api.model
    def _open_invoices(self, partner, company):
        return self.env["account.move"].search(
            self.env["relance.promise"]._relance_open_invoices_domain(partner, company),
            order="invoice_date_due, name, id",
        )

    @api.model
    def _online_payment(self):
        """Whether Odoo's online payment of invoices (``account_payment``) is installed: used
        when it is there, never a dependency (SPEC §2)."""
        return "payment.transaction" in self.env and "invoice_ids" in self.env["payment.transaction"]._fields

    @api.model
    def _providers(self, partner, company, amount, currency):
        """The payment providers that can take ``amount`` for the customer (none: bank details
        only, and so without ``account_payment``)."""
        if not self._online_payment():
            return None
        return self.env["payment.provider"]._get_compatible_providers(
            company.id, partner.id, amount, currency_id=currency.id
        )

    @api.model
    def _page_values(self, partner, company):
        """Everything the page shows, formatted in the customer's language (French, or English
        for a foreign customer that reads English: ``res.partner._relance_lang``)."""
        lang = partner._relance_lang()
        Reminder = self.env["relance.reminder"].with_company(company)
        today = fields.Date.context_today(self)
        invoices = self._open_invoices(partner, company)
        promises = self.env["relance.promise"].search(
            [("partner_id", "=", partner.id), ("company_id", "=", company.id), ("state", "=", "open")]
        )
        disputes = self.env["relance.dispute"].search(
            [("partner_id", "=", partner.id), ("company_id", "=", company.id), ("state", "=", "open")]
        )
        credit_lines = self.env["account.move.line"].search(
            partner._relance_credit_domain(company), order="date, id"
        )
        lines = []
        for inv in invoices:
            line = Reminder._relance_invoice_line(inv, today, lang=lang)
            line.update(
                {
                    "id": inv.id,
                    "overdue": bool(inv.invoice_date_due and inv.invoice_date_due < today),
                    "promise": inv in promises.invoice_ids,
                    "disputed": inv in disputes.invoice_id,
                    "einvoice": inv.relance_einvoice_status_id.sudo().label,  # French, as the platform says
                    "residual_value": inv.amount_residual,
                    "currency": inv.currency_id,
                }
            )
            lines.append(line)
        credits = [
            {
                "name": line.move_id.name or line.name,
                "label": self.env["relance.event"]._item_label(line.move_id, lang=lang),
                "date": Reminder._fmt_date(line.date, lang=lang),
                "residual": Reminder._fmt_amount(-line.amount_residual_currency, line.currency_id, lang=lang),
            }
            for line in credit_lines
        ]
        due = relance_rules.sum_by_currency((inv.currency_id, inv.amount_residual) for inv in invoices)
        credit = relance_rules.sum_by_currency(
            (ln.currency_id, -ln.amount_residual_currency) for ln in credit_lines
        )
        net = relance_rules.net_by_currency(due, credit)

        def totals(by_currency):
            return (
                Reminder._fmt_totals(by_currency, lang=lang)
                if by_currency
                else Reminder._fmt_amount(0.0, company.currency_id, lang=lang)
            )

        currency = invoices[:1].currency_id or company.currency_id
        payable = invoices.filtered(lambda m: m.currency_id == currency and m not in disputes.invoice_id)
        providers = self._providers(partner, company, sum(payable.mapped("amount_residual")), currency)
        reasons = self._reason_labels(lang)
        plans_sudo = self._active_plans(partner, company)
        plans = self._plans(plans_sudo, lang)
        return {
            "company": company,
            "partner": partner,
            "today": today,
            "lines": lines,
            "credits": credits,
            "total_due": totals(due),
            "total_credit": totals(credit) if credit_lines else "",
            "total_net": totals(net),
            "banks": company.partner_id.bank_ids,
            **self._contact(partner, company),
            "promises": [
                {
                    "date": Reminder._fmt_date(p.date, lang=lang),
                    "amount": Reminder._fmt_amount(p.amount, p.currency_id, lang=lang),
                    "declared_paid": p.declared_paid,
                    "invoices": ", ".join(p.invoice_ids.mapped("name")),
                }
                for p in promises
            ],
            "disputes": [
                {
                    "invoice": d.invoice_id.name,
                    "date": Reminder._fmt_date(d.date, lang=lang),
                    "reason": reasons.get(d.reason, ""),
                }
                for d in disputes
            ],
            "plans": plans,
            # the few words the template computes (an aria-label)
            "words": relance_lang.page_words(lang),
            "plans_total": totals(
                relance_rules.sum_by_currency(
                    (p.currency_id, p.amount_total - p.amount_paid) for p in plans_sudo
                )
            )
            if plans_sudo
            else "",
            "reasons": [(key, reasons[key]) for key, _label in REASONS],
            "can_pay": bool(providers) and bool(payable),
            "pay_currency": currency,
            "max_promise_date": fields.Date.to_string(
                fields.Date.add(today, days=company.relance_promise_max_days)
            )
            if company.relance_promise_max_days
            else "",
            "primary_color": company.primary_color or "#1f4e79",
            "secondary_color": company.secondary_color or "#5b7a99",
        }

    @api.model
    def _document(self, partner, key, render):
        """``(content, kind)`` of a document of the page, rendered by ``render()`` at most once
        per customer and day: kept for the day as an attachment of no record, created by the
        superuser, so that only administrators (and this page) read it. One rendering at a
        time per customer: ``None`` while another request renders one of its documents (a
        PDF ties up a worker; a link never ties up more than one)."""
        today = fields.Date.context_today(self)
        name = f"{CACHE_PREFIX}{partner.id}/{key}/{today}"
        Attachment = self.env["ir.attachment"].with_user(SUPERUSER_ID)

        def cached():
            return Attachment.search([("name", "=", name), ("res_model", "=", False)], limit=1)

        if not cached():
            [(locked,)] = self.env.execute_query(
                SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", RENDER_LOCK, partner.id)
            )
            if not locked:
                return None
        document = cached()  # rendered by another request while this one waited for the lock
        if document:
            return document.raw, "pdf" if document.mimetype == "application/pdf" else "html"
        content, kind = render()
        Attachment.create(
            {
                "name": name,
                "raw": content,
                "mimetype": "application/pdf" if kind == "pdf" else "text/html",
                "res_model": False,
                "res_id": False,
            }
        )
        return content, kind

    @api.model
    def _renew_link(self, partner, company):
        """A fresh link, by email to the invoicing contact on file (never to an address typed
        on the page); the old links stop working. False when no address is on file."""
        contact = self.env["res.partner"].browse(partner.address_get(["invoice"])["invoice"])
        contact = contact if contact.email else partner
        if not contact.email:
            return False
        partner._relance_new_token()
        url = partner._relance_portal_url()
        words = relance_lang.page_words(partner._relance_lang())  # the email in the page's language
        intro = Markup(words["renew_intro"]) % (company.name,)
        outro = Markup(words["renew_outro"]) % (company.name,)
        self.env["mail.mail"].create(
            {
                "subject": words["renew_subject"] % company.name,
                "email_from": company.email_formatted
                or self.env["ir.mail_server"]._get_default_from_address(),
                "email_to": contact.email_formatted,
                "body_html": intro + Markup('<p><a href="%s">%s</a></p>') % (url, url) + outro,
                "auto_delete": False,
            }
        )
        partner.message_post(
            body=self.env._(
                "A fresh link to the customer's page was asked from an expired one and sent to "
                "%(email)s: the links sent before no longer work.",
                email=contact.email,
            ),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )
        return True

    @api.model
    def _active_plans(self, partner, company):
        return self.env["relance.plan"].search(
            [("partner_id", "=", partner.id), ("company_id", "=", company.id), ("state", "=", "active")]
        )

    @api.model
    def _plans(self, plans, lang=LANG):
        """The customer's active payment plans (SPEC §11) and where each instalment stands, in
        ``lang``."""
        Reminder = self.env["relance.reminder"].with_company(plans.company_id[:1])
        words = relance_lang.page_words(lang)
        labels = {"open": words["plan_open"], "paid": words["plan_paid"], "late": words["plan_late"]}
        return [
            {
                "invoices": ", ".join(plan.invoice_ids.mapped("name")),
                "total": Reminder._fmt_amount(plan.amount_total, plan.currency_id, lang=lang),
                "lines": [
                    {
                        "date": Reminder._fmt_date(line.date, lang=lang),
                        "amount": Reminder._fmt_amount(line.amount, plan.currency_id, lang=lang),
                        "paid": Reminder._fmt_amount(line.amount_paid, plan.currency_id, lang=lang),
                        "state": labels.get(line.state, ""),
                    }
                    for line in plan.line_ids.sorted("date")
                ],
            }
            for plan in plans
        ]

    @api.model
    def _contact(self, partner, company):
        """Whom the customer calls or writes to: its AR specialist, else the company."""
        specialist = company._relance_specialist(partner)
        return {
            "specialist_name": specialist.name or company.name,
            "signature": company._relance_signature(specialist),
            "specialist_email": specialist.email or company.email or "",
            "specialist_phone": specialist.phone or compat.partner_mobile(specialist) or company.phone or "",
        }

    @api.model
    def _reason_labels(self, lang=LANG):
        """``{reason: label}`` of the dispute reasons, in French unless ``lang`` says otherwise."""
        env = self.with_context(lang=lang).env
        return dict(env["relance.dispute"]._fields["reason"]._description_selection(env))

    # ------------------------------------------------------------------
    # What the forms record
    # ------------------------------------------------------------------
    @api.model
    def _specialist(self, partner, company):
        """Who answers what the customer sends: its AR specialist, else the company's formal
        notice validator, else its first accounting manager; never the public user nor the
        superuser that the page runs as."""
        managers = (
            compat.group_users(self.env.ref("account.group_account_manager"))
            .filtered(lambda u: company in u.company_ids and not u.share and u.id != SUPERUSER_ID)
            .sorted("id")
        )
        for user in (company._relance_specialist(partner), company.relance_validator_id, managers[:1]):
            if user and user.active and not user.share and user.id != SUPERUSER_ID:
                return user
        return self.env["res.users"]

    @api.model
    def _assign(self, partner, record, specialist, summary, text=None, schedule=True):
        """A to-do for ``specialist`` on ``record`` (``schedule=False``: the record scheduled its
        own), announced by the customer itself, never by the public user the page runs as;
        ``text`` is the customer's, kept as plain text."""
        if schedule:
            record.with_context(mail_activity_quick_update=True).activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.context_today(self),
                summary=summary,
                note=plaintext2html(text) if text else False,
                user_id=specialist.id,
            )
        if specialist:
            record.message_notify(
                partner_ids=specialist.partner_id.ids,
                author_id=partner.id,
                subject=summary,
                body=Markup("<p>%s</p>") % summary,
                model_description=record._description,
            )

    @api.model
    def _attach(self, record, upload, label):
        """``upload`` is ``(filename, data)`` already checked; an attachment of ``record``."""
        name, data = upload
        kind = relance_portal.file_kind(data)
        extension = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}[kind]
        stem = "".join(c for c in (name or "").rsplit(".", 1)[0] if c.isalnum() or c in " -_")[:60].strip()
        return self.env["ir.attachment"].create(
            {
                "name": f"{label} - {stem or 'document'}.{extension}",
                "raw": data,
                "mimetype": relance_portal.MIMETYPES[kind],
                "res_model": record._name,
                "res_id": record.id,
            }
        )

    @api.model
    def _record_promise(self, partner, company, invoices, day, comment):
        specialist = self._specialist(partner, company)
        promise = (
            self.env["relance.promise"]
            .with_company(company)
            .with_context(mail_activity_quick_update=True)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "invoice_ids": [(6, 0, invoices.ids)],
                    "date": day,
                    "source": "portal",
                    "note": comment or False,
                    "user_id": specialist.id,
                }
            )
        )
        self._assign(
            partner,
            promise,
            specialist,
            self.env._("Promise to pay from the customer's page: %(partner)s", partner=partner.name),
            comment,
        )
        self._acknowledge(
            partner,
            company,
            "promise",
            {
                "date": self.env["relance.reminder"]._fmt_date(promise.date, lang=partner._relance_lang()),
                "amount": self.env["relance.reminder"]._fmt_amount(
                    promise.amount, promise.currency_id, lang=partner._relance_lang()
                ),
                "invoices": ", ".join(promise.invoice_ids.mapped("name")),
                "comment": comment,
            },
        )
        return promise

    @api.model
    def _record_paid(self, partner, company, invoices, day, amount, means, upload):
        specialist = self._specialist(partner, company)
        note = self.env._("Paid by: %(means)s", means=means) if means else False
        promise = (
            self.env["relance.promise"]
            .with_company(company)
            .with_context(mail_activity_quick_update=True)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "invoice_ids": [(6, 0, invoices.ids)],
                    "date": day,
                    "amount": amount,
                    "declared_paid": True,
                    "source": "portal",
                    "note": note,
                    "user_id": specialist.id,
                }
            )
        )
        if upload:
            attachment = self._attach(promise, upload, "Justificatif de paiement")
            promise.message_post(
                body=self.env._("Proof of payment sent from the customer's page."),
                author_id=partner.id,
                attachment_ids=attachment.ids,
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
        self._assign(
            partner,
            promise,
            specialist,
            self.env._("Check the bank: payment declared by %(partner)s", partner=partner.name),
            schedule=False,
        )
        Reminder = self.env["relance.reminder"]
        self._acknowledge(
            partner,
            company,
            "paid",
            {
                "date": Reminder._fmt_date(promise.date, lang=partner._relance_lang()),
                "amount": Reminder._fmt_amount(amount, promise.currency_id, lang=partner._relance_lang()),
                "invoices": ", ".join(promise.invoice_ids.mapped("name")),
                "means": means,
                "proof": bool(upload),
            },
        )
        return promise

    @api.model
    def _record_dispute(self, partner, company, invoice, reason, description, upload):
        specialist = self._specialist(partner, company)
        dispute = (
            self.env["relance.dispute"]
            .with_company(company)
            .with_context(mail_activity_quick_update=True)
            .create(
                {
                    "invoice_id": invoice.id,
                    "reason": reason,
                    "description": description or False,
                    "source": "portal",
                    "user_id": specialist.id,
                }
            )
        )
        self._assign(
            partner,
            dispute,
            specialist,
            self.env._(
                "Invoice %(invoice)s disputed by %(partner)s", invoice=invoice.name, partner=partner.name
            ),
            schedule=False,
        )
        if upload:
            dispute.attachment_ids = self._attach(dispute, upload, f"Contestation {invoice.name}")
        partner.message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "Dispute of %(invoice)s sent from the customer's page (%(reason)s): %(description)s",
                invoice=invoice.name,
                reason=dispute._reason_label(),
                description=description or "-",
            ),
            author_id=partner.id,
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )
        self._acknowledge(
            partner,
            company,
            "dispute",
            {
                "invoice": invoice.name,
                "reason": self._reason_labels(partner._relance_lang())[reason],
                "description": description,
            },
        )
        return dispute

    @api.model
    def _record_message(self, partner, company, text):
        specialist = self._specialist(partner, company)
        message = partner.message_post(
            body=Markup("<p>%s</p>") % self.env._("Message from the customer's page:")
            + Markup("<blockquote>%s</blockquote>") % text,
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self._assign(
            partner,
            partner,
            specialist,
            self.env._("Answer %(partner)s (customer's page)", partner=partner.name),
            text,
        )
        self._acknowledge(partner, company, "message", {"text": text})
        return message

    @api.model
    def _acknowledge(self, partner, company, kind, facts):
        """The acknowledgment by email (in the customer's language: the template's), through
        Odoo's mail queue, kept in the chatter."""
        template = self.env.ref(f"relance_fr.mail_template_portal_ack_{kind}")
        partner.with_company(company).with_context(
            lang=LANG, relance_ack=facts, mail_notify_force_send=False, relance_customer_only=True
        ).message_post_with_source(
            template, message_type="comment", subtype_xmlid="mail.mt_comment", email_layout_xmlid=MAIL_LAYOUT
        )
