from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from .. import compat
from ..tools import relance_lang, relance_rules
from .relance_event import STATEMENT_REPORT
from .relance_reminder import LANG

# what the customer reads: French, like the messages
BUCKET_LABELS = {
    "not_due": "Non échu",
    "1_30": "1 à 30 jours",
    "31_60": "31 à 60 jours",
    "61_90": "61 à 90 jours",
    "over_90": "Plus de 90 jours",
}
STATEMENT_BATCH = 100


class RelanceEvent(models.Model):
    """The statement of account: its facts (every open item by age), sent by hand or on each
    company's monthly day with its PDF."""

    _inherit = "relance.event"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _item_label(self, move, lang=relance_lang.FRENCH):
        if move.move_type == "out_invoice":
            label = "Facture"
        elif move.move_type == "out_refund":
            label = "Avoir"
        elif move.origin_payment_id or move.statement_line_id:
            label = "Paiement"
        else:
            label = "Écriture"
        return relance_lang.ITEM_LABELS[label] if relance_lang.is_english(lang) else label

    @api.model
    def _statement_data(self, partners, company, day):
        """``{commercial partner id: statement values}``: every open item of each customer in
        ``company`` on ``day`` (invoices; credit notes and unreconciled payments as deductions)
        with totals by age bucket, in each customer's language. One search for all the customers."""
        partners = partners.commercial_partner_id
        lines = (
            self.env["account.move.line"]
            .sudo()
            .search(
                [*partners._relance_receivable_domain(company), ("amount_residual", "!=", 0.0)],
                order="date_maturity, date, id",
            )
        )
        by_partner = defaultdict(list)
        for line in lines:
            by_partner[line.partner_id.commercial_partner_id.id].append(line)
        ccy = company.currency_id
        result = {}
        partners._relance_ensure_access_tokens()
        for partner in partners:
            page_url = partner._relance_portal_url()
            lang = partner._relance_lang()
            buckets = relance_lang.BUCKET_LABELS if relance_lang.is_english(lang) else BUCKET_LABELS
            items, deductions, ages = [], [], []
            for line in by_partner[partner.id]:
                move = line.move_id
                due = line.date_maturity or move.invoice_date_due or line.date
                days = relance_rules.days_late(due, day)
                row = {
                    "name": move.name or line.name,
                    "label": self._item_label(move, lang),
                    "date": self._fmt_date(move.invoice_date or line.date, lang=lang),
                    "date_due": self._fmt_date(due, lang=lang),
                    "amount": self._fmt_amount(abs(line.amount_currency), line.currency_id, lang),
                    "residual": self._fmt_amount(abs(line.amount_residual_currency), line.currency_id, lang),
                    "value": abs(line.amount_residual),
                    "days_late": max(days, 0),
                    "bucket": buckets[relance_rules.age_bucket(days)],
                    "disputed": move.relance_excluded,
                    "url": f"{page_url}/invoice/{move.id}" if move.is_invoice() else "",
                }
                if line.amount_residual > 0:
                    items.append(row)
                    ages.append((days, line.amount_residual))
                else:
                    deductions.append(row)
            totals = relance_rules.age_totals(ages)
            total_due = sum(totals.values())
            total_deductions = sum(row["value"] for row in deductions)
            overdue = total_due - totals["not_due"]
            result[partner.id] = {
                "date": self._fmt_date(day, lang=lang),
                "date_long": self._fmt_date(day, long=True, lang=lang),
                "items": items,
                "deductions": deductions,
                "buckets": [
                    {
                        "key": key,
                        "label": buckets[key],
                        "amount": self._fmt_amount(total, ccy, lang),
                        "value": total,
                    }
                    for key, total in totals.items()
                ],
                "total_due": self._fmt_amount(total_due, ccy, lang),
                "total_deductions": self._fmt_amount(total_deductions, ccy, lang),
                "net": self._fmt_amount(total_due - total_deductions, ccy, lang),
                "net_value": total_due - total_deductions,
                "overdue": self._fmt_amount(overdue, ccy, lang),
                "overdue_value": overdue,
            }
        return result

    @api.model
    def _send_statement_now(self, partner):
        """Statement sent by hand, whatever the day and whether sent this month already."""
        partner = partner.commercial_partner_id
        self._check_not_excluded(partner)
        company = self.env.company
        day = fields.Date.context_today(self)
        values = self._statement_data(partner, company, day)[partner.id]
        if not values["items"]:
            raise UserError(
                self.env._(
                    "%(partner)s has no open invoice: there is no statement to send.", partner=partner.name
                )
            )
        return self._send_statements(partner, company, day, key=False)

    # ------------------------------------------------------------------
    # The monthly statement
    # ------------------------------------------------------------------
    @api.model
    def _statement_key(self, partner, day):
        return f"{partner.id}:{day:%Y-%m}"

    @api.model
    def _statement_candidates(self, company, day):
        """Ids of the company's customers due for this month's statement: at least one overdue
        invoice (not in dispute), something left to pay net of credits, not excluded, no
        statement this month yet. Grouped reads only."""
        overdue = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("invoice_date_due", "<", day),
                    ("relance_excluded", "=", False),
                    ("commercial_partner_id.relance_excluded", "=", False),
                ],
                ["commercial_partner_id"],
            )
        )
        partners = self.env["res.partner"].browse(sorted(p.id for [p] in overdue))
        balances = self._receivables(partners, company)
        sent = self._sent_keys("statement", company, [self._statement_key(p, day) for p in partners])
        return [
            p.id
            for p in partners
            if balances.get(p.id, 0.0) > company.currency_id.rounding
            and self._statement_key(p, day) not in sent
        ]

    @api.model
    def _send_statements(self, partners, company, day, key=True):
        """Render the statements of ``partners`` in one batch and send each one with its PDF."""
        partners = partners.with_company(company)
        contents = (
            self.env["relance.reminder"]
            .with_company(company)
            .with_context(lang=LANG, relance_statement_date=day)
            ._relance_render(STATEMENT_REPORT, partners)
        )
        events = self.browse()
        for partner in partners:
            content, ext = contents[partner.id]
            attachment = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": "%s %s %s.%s"
                        % (
                            "Statement of account"
                            if relance_lang.is_english(partner._relance_lang())
                            else "Relevé de compte",
                            partner.name,
                            f"{day:%Y-%m-%d}",
                            ext,
                        ),
                        "raw": content,
                        "res_model": "res.partner",
                        "res_id": partner.id,
                        "mimetype": "application/pdf" if ext == "pdf" else "text/html",
                    }
                )
            )
            events |= (
                self._send(
                    "statement",
                    partner,
                    company,
                    partner,
                    key=self._statement_key(partner, day) if key else None,
                    attachments=attachment,
                    context={"relance_statement_date": day},
                )
                or self.browse()
            )
        return events

    @api.model
    def _cron_statements(self, batch_size=STATEMENT_BATCH):
        """Monthly statement: on each company's day, every customer with an overdue invoice gets
        a statement of its open items. One batch per call, progress reported to the cron."""
        today = fields.Date.context_today(self)
        done = remaining = 0
        for company in self.env["res.company"].search([("relance_statement_auto", "=", True)]):
            if not relance_rules.statement_due(
                today, company.relance_statement_day, company.relance_statement_last_date or None
            ):
                continue
            candidates = self.with_company(company)._statement_candidates(company, today)
            budget = max(batch_size - done, 0)
            batch, left = candidates[:budget], candidates[budget:]
            if batch:
                self._send_statements(self.env["res.partner"].browse(batch), company, today)
            done += len(batch)
            remaining += len(left)
            if not left:
                company.relance_statement_last_date = today
        compat.cron_progress(self.env, done, remaining)
        return done
