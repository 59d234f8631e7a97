import logging
from collections import defaultdict

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from .. import compat
from ..tools import relance_lang, relance_rules
from .relance_reminder import LANG, MAIL_LAYOUT

_logger = logging.getLogger(__name__)

KINDS = [
    ("welcome", "Welcome"),
    ("payment_received", "Payment received"),
    ("partial_payment", "Partial payment"),
    ("payment_failed", "Payment failed"),
    ("credit_limit", "Credit limit"),
    ("large_balance", "Large balance"),
    ("statement", "Statement"),
]
# the statement's PDF (relance_event_statement.py; the collection file attaches it too)
STATEMENT_REPORT = "relance_fr.action_report_relance_statement"


@compat.sql_constraints(
    ("key_uniq", "unique(company_id, kind, key)", "This event message was already sent."),
)
class RelanceEvent(models.Model):
    """One event message sent to a customer (welcome, payment thanks, payment failed, credit
    limit, large balance, monthly statement): the log that keeps each event to one message,
    and the engine that decides and sends them."""

    _name = "relance.event"
    _description = "Customer event message"
    _order = "date desc, id desc"
    _check_company_auto = True

    kind = fields.Selection(KINDS, required=True, index=True)
    key = fields.Char(index=True, help="Identifies the event: the same key never gets a second message.")
    company_id = fields.Many2one("res.company", required=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    move_id = fields.Many2one(
        "account.move", string="Invoice", index="btree_not_null", ondelete="cascade", check_company=True
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    message_id = fields.Many2one("mail.message", ondelete="set null")
    error_message = fields.Text()

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------
    @api.model
    def _send(self, kind, record, company, partner, key=None, attachments=None, context=None):
        """Post the template of ``kind`` on ``record`` (an invoice or a customer) in its chatter
        and log the event. With a ``key``, the same event never gets a second message. A failure
        is written on the event and in the chatter instead of breaking the operation that caused
        it. Returns the event, or None when the event was already sent."""
        events = self.sudo()
        partner = partner.commercial_partner_id
        if key and events.search_count(
            [("company_id", "=", company.id), ("kind", "=", kind), ("key", "=", key)], limit=1
        ):
            return None
        try:
            with self.env.cr.savepoint():
                event = events.create(
                    {
                        "kind": kind,
                        "key": key,
                        "company_id": company.id,
                        "partner_id": partner.id,
                        "move_id": record.id if record._name == "account.move" else False,
                    }
                )
                event.flush_recordset()
        except psycopg2.IntegrityError:  # sent at the same moment by another transaction
            return None
        template = self.env.ref(f"relance_fr.mail_template_{kind}")
        # to the customer only, never a copy to the followers of its record
        target = (
            record.sudo()
            .with_company(company)
            .with_context(lang=LANG, relance_customer_only=True, **(context or {}))
        )
        try:
            with self.env.cr.savepoint():
                message = target.message_post_with_source(
                    template,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    email_layout_xmlid=MAIL_LAYOUT,
                    **({"attachment_ids": attachments.ids} if attachments else {}),
                )
                event.message_id = message[:1]
        except Exception as exc:  # noqa: BLE001 - a message must never block an accounting operation
            _logger.warning("Event message %s on %s failed: %s", kind, record, exc)
            event.error_message = str(exc)
            record.sudo().message_post(
                body=self.env._(
                    "The message “%(template)s” could not be sent: %(error)s",
                    template=template.name,
                    error=str(exc),
                )
            )
        return event

    @api.model
    def _sent_keys(self, kind, company, keys):
        """The keys among ``keys`` that already have an event (one search)."""
        return set(
            self.sudo()
            .search([("company_id", "=", company.id), ("kind", "=", kind), ("key", "in", list(keys))])
            .mapped("key")
        )

    # ------------------------------------------------------------------
    # Triggers (called by thin overrides of account.move, account.move.line, account.payment)
    # ------------------------------------------------------------------
    @api.model
    def _on_moves_posted(self, moves):
        """Moves were posted: welcome new customers, watch the receivable balances."""
        posted = moves.filtered(lambda m: m.state == "posted")
        self._welcome_new_customers(posted.filtered(lambda m: m.move_type == "out_invoice"))
        self._on_balances_changed(posted)

    @api.model
    def _welcome_new_customers(self, invoices):
        """The first posted customer invoice of a customer (in a company) brings the welcome
        message, when the company wants it: never to a customer with a history in the company
        (an earlier invoice, credit note, payment or opening entry on its receivable, as when a
        company starts with the module on an existing ledger) nor to one already chased."""
        for company in invoices.company_id.filtered("relance_welcome_auto"):
            company_invoices = invoices.filtered(lambda m, c=company: m.company_id == c)
            partners = company_invoices.commercial_partner_id.filtered(lambda p: not p.relance_excluded)
            if not partners:
                continue
            earlier = {
                partner.commercial_partner_id.id
                for [partner] in self.env["account.move.line"]
                .sudo()
                ._read_group(
                    [
                        ("company_id", "=", company.id),
                        ("account_type", "=", "asset_receivable"),
                        ("parent_state", "=", "posted"),
                        ("partner_id", "child_of", partners.ids),
                        ("move_id", "not in", company_invoices.ids),
                    ],
                    ["partner_id"],
                )
            }
            earlier |= set(
                self.env["relance.reminder"]
                .sudo()
                .search([("company_id", "=", company.id), ("partner_id", "in", partners.ids)])
                .partner_id.ids
            )
            welcomed = self.sudo().search(
                [
                    ("company_id", "=", company.id),
                    ("kind", "=", "welcome"),
                    ("partner_id", "in", partners.ids),
                ]
            )
            skip = earlier | set(welcomed.partner_id.ids)
            for partner in partners:
                if partner.id not in skip:
                    self._send("welcome", partner, company, partner, key=str(partner.id))

    @api.model
    def _on_balances_changed(self, moves):
        """Moves touching receivables were posted or reset: check the customers' balances."""
        lines = moves.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable" and line.partner_id
        )
        for company in lines.company_id:
            partners = lines.filtered(lambda line, c=company: line.company_id == c).partner_id
            self._check_balances(partners.commercial_partner_id, company)

    @api.model
    def _receivables(self, partners, company):
        """``{commercial partner id: open receivable balance}`` in company currency (one grouped read)."""
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                partners._relance_receivable_domain(company),
                ["partner_id"],
                ["amount_residual:sum"],
            )
        )
        balances = defaultdict(float)
        for partner, amount in groups:
            balances[partner.commercial_partner_id.id] += amount
        return balances

    @api.model
    def _credit_limit(self, partner, company):
        """The customer's credit limit in ``company`` (Odoo's own), 0 when none applies."""
        partner = partner.with_company(company)
        if not (company.account_use_credit_limit or partner.use_partner_credit_limit):
            return 0.0
        return partner.credit_limit or 0.0

    @api.model
    def _check_balances(self, partners, company):
        """Credit-limit warning and large-balance message, once per crossing each: the flags
        on the customer go down when the balance goes back under the threshold."""
        partners = partners.with_company(company).sudo()
        balances = self._receivables(partners, company)
        for partner in partners:
            balance = balances.get(partner.id, 0.0)
            ratio = relance_rules.credit_ratio(balance, self._credit_limit(partner, company))
            watches = [
                ("credit_limit", "relance_credit_warned", ratio, company.relance_credit_warning_pct),
                ("large_balance", "relance_balance_warned", balance, company.relance_large_balance),
            ]
            for kind, flag, value, threshold in watches:
                send, above = relance_rules.crossed(partner[flag], value, threshold)
                if send and partner.relance_excluded:
                    continue  # no commercial message; warned when it no longer is excluded
                if send:
                    self._send(kind, partner, company, partner)
                if partner[flag] != above:
                    partner[flag] = above

    @api.model
    def _on_reconciled(self, residuals, amls):
        """A reconciliation changed customer invoices (``{invoice id: residual before}``): thank
        the customer for a full or partial payment, as the company's setting says."""
        if not amls.move_id.filtered(lambda m: not m.is_invoice(include_receipts=True)):
            return  # invoices and credit notes matched together: no payment to thank for
        invoices = self.env["account.move"].browse(list(residuals)).exists()
        for invoice in invoices.filtered(lambda m: m.state == "posted"):
            event = relance_rules.payment_event(
                residuals[invoice.id], invoice.amount_residual, invoice.currency_id.rounding
            )
            company = invoice.company_id
            if not event or not relance_rules.thanks_due(
                company.relance_thanks_mode, bool(invoice.relance_level_id)
            ):
                continue
            partner = invoice.commercial_partner_id
            if event == "partial" and (partner.relance_excluded or invoice.relance_excluded):
                continue  # only the thanks for a full payment go to an excluded customer
            last = invoice._relance_last_partial()
            kind = "payment_received" if event == "paid" else "partial_payment"
            self._send(kind, invoice, company, partner, key=f"{invoice.id}:{last.id}")

    @api.model
    def _settlements(self, moves):
        """``[partial id, invoice id, amount, payment date]`` for every customer invoice settled
        by the receivable lines of ``moves`` (payments, bank entries; not invoices)."""
        lines = moves.filtered(lambda m: not m.is_invoice(include_receipts=True)).line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        )
        return [
            [
                partial.id,
                partial.debit_move_id.move_id.id,
                partial.debit_amount_currency,
                str(partial.credit_move_id.date),
            ]
            for partial in lines.matched_debit_ids
            if partial.debit_move_id.move_id.move_type == "out_invoice"
        ]

    @api.model
    def _on_settlements_undone(self, settlements):
        """Payments that had settled invoices were cancelled or reversed (e.g. a rejected direct
        debit): tell the customer which invoice is open again, once per settlement."""
        for partial_id, invoice_id, amount, paid_on in settlements:
            invoice = self.env["account.move"].browse(invoice_id).exists()
            if (
                not invoice
                or invoice.state != "posted"
                or invoice.payment_state in ("paid", "in_payment", "reversed")
                or invoice.commercial_partner_id.relance_excluded
                or invoice.relance_excluded
            ):
                continue
            self._send(
                "payment_failed",
                invoice,
                invoice.company_id,
                invoice.commercial_partner_id,
                key=f"{invoice_id}:{partial_id}",
                context={"relance_failed_amount": amount, "relance_failed_date": paid_on},
            )

    # ------------------------------------------------------------------
    # Facts shown in the messages and the statement
    # ------------------------------------------------------------------
    def _fmt_amount(self, amount, currency, lang=relance_lang.FRENCH):
        return self.env["relance.reminder"]._fmt_amount(amount, currency, lang=lang)

    def _fmt_date(self, day, long=False, lang=relance_lang.FRENCH):
        return self.env["relance.reminder"]._fmt_date(day, long=long, lang=lang)

    @api.model
    def _fmt_percent(self, value, lang=relance_lang.FRENCH):
        return relance_lang.format_percent(value, lang)

    @api.model
    def _common_values(self, partner, company):
        """Customer, contact, AR specialist, bank details and links of a message, and the
        language of the message (``lang``: tools/relance_lang.message_lang)."""
        partner = partner.commercial_partner_id
        lang = partner._relance_lang()
        specialist = company._relance_specialist(partner)
        contact = partner.browse(partner.address_get(["invoice"])["invoice"])
        bank = company.partner_id.bank_ids[:1]
        return {
            "company": company,
            "partner": partner,
            "contact": contact,
            "contact_name": contact.name or partner.name,
            "specialist_name": specialist.name or company.name,
            # in English for a foreign customer that reads English, whatever the rendering's language
            "signature": (
                company.with_context(lang=lang) if relance_lang.is_english(lang) else company
            )._relance_signature(specialist),
            "specialist_email": specialist.email or company.email or "",
            "specialist_phone": specialist.phone or compat.partner_mobile(specialist) or company.phone or "",
            "iban": bank.acc_number or "",
            "bic": bank.bank_bic or "",
            "portal_url": partner._relance_portal_url(),
            "today": self._fmt_date(fields.Date.context_today(self), lang=lang),
            "lang": lang,
        }

    @api.model
    def _sender(self, partner, company):
        """``email_from`` of a message: the AR specialist, else the company."""
        specialist = company._relance_specialist(partner)
        return specialist.email_formatted if specialist.email else company.email_formatted

    @api.model
    def _invoice_values(self, invoice):
        """Facts of one invoice for the invoice and payment messages."""
        values = self._common_values(invoice.commercial_partner_id, invoice.company_id)
        currency = invoice.currency_id
        lang = values["lang"]
        last = invoice._relance_last_partial()
        context = self.env.context
        failed = context.get("relance_failed_amount")
        values.update(
            {
                "invoice": invoice,
                "contact_name": invoice.partner_id.name or values["contact_name"],
                "name": invoice.name,
                "date": self._fmt_date(invoice.invoice_date, lang=lang),
                "date_due": self._fmt_date(invoice.invoice_date_due, lang=lang),
                "amount": self._fmt_amount(invoice.amount_total, currency, lang),
                "residual": self._fmt_amount(invoice.amount_residual, currency, lang),
                "paid": self._fmt_amount(invoice.amount_total - invoice.amount_residual, currency, lang),
                "is_paid": invoice.payment_state in ("paid", "in_payment"),
                "reminded": bool(invoice.relance_level_id),
                "last_payment": self._fmt_amount(last.debit_amount_currency, currency, lang) if last else "",
                "last_payment_date": self._fmt_date(last.max_date, lang=lang) if last else "",
                "failed_amount": self._fmt_amount(
                    failed if failed is not None else invoice.amount_residual, currency, lang
                ),
                "failed_date": self._fmt_date(
                    fields.Date.to_date(context.get("relance_failed_date")), lang=lang
                ),
                "pay_url": invoice.commercial_partner_id._relance_portal_url(),
            }
        )
        return values

    @api.model
    def _partner_values(self, partner, company, day=None):
        """Facts of a customer message: contact, specialist, balance, credit limit, open items."""
        partner = partner.commercial_partner_id
        day = day or fields.Date.context_today(self)
        values = self._common_values(partner, company)
        values.update(self._statement_data(partner, company, day)[partner.id])
        balance = self._receivables(partner, company).get(partner.id, 0.0)
        limit = self._credit_limit(partner, company)
        ratio = relance_rules.credit_ratio(balance, limit)
        lang = values["lang"]
        values.update(
            {
                "balance": self._fmt_amount(balance, company.currency_id, lang),
                "credit_limit": self._fmt_amount(limit, company.currency_id, lang) if limit else "",
                "credit_ratio": self._fmt_percent(ratio, lang) if ratio is not None else "",
            }
        )
        return values

    @api.model
    def _render_block(self, block, values):
        """A shared QWeb block of the event messages, rendered with ``values``."""
        return Markup(self.env["ir.qweb"]._render(f"relance_fr.relance_{block}", {"v": values}))

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    @api.model
    def _check_not_excluded(self, partner):
        if partner.commercial_partner_id.relance_excluded:
            raise UserError(
                self.env._(
                    "%(partner)s is excluded from dunning: no message goes out to this customer.",
                    partner=partner.commercial_partner_id.display_name,
                )
            )

    @api.model
    def _send_welcome(self, partner):
        """Welcome message sent by hand (it can be sent again)."""
        self._check_not_excluded(partner)
        return self._send("welcome", partner.commercial_partner_id, self.env.company, partner)
