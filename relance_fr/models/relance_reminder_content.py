import base64
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_amount, format_date

from .. import compat
from ..tools import relance_lang, relance_legal, relance_letter, relance_rules


class RelanceReminder(models.Model):
    """The facts a reminder shows, shared by its email templates and its letter."""

    _inherit = "relance.reminder"  # pylint: disable=consider-merging-classes-inherited

    mentions_warning = fields.Char(related="company_id.relance_mentions_warning")

    def _relance_lang(self):
        """The language of the customer's messages (tools/relance_lang.message_lang): French, or
        English for a foreign customer that reads English."""
        return self[:1].partner_id._relance_lang()

    def _fmt_amount(self, amount, currency=None, lang=None):
        """``amount`` as the customer reads it, in ``lang`` (by default the reminder's)."""
        currency = currency or self.currency_id
        code = lang or self._relance_lang()
        lang = self.env["res.lang"]._get_data(code=code)
        if lang.grouping != "[3,0]":
            return format_amount(self.env, amount, currency, code)
        # the same text as Odoo's format_amount, without its look-ups per amount (thousands
        # of amounts in a run)
        return relance_rules.format_amount(
            currency.round(amount),
            currency.decimal_places,
            currency.symbol or "",
            currency.position == "before",
            lang.thousands_sep or "",
            lang.decimal_point,
        )

    def _fmt_date(self, day, long=False, lang=None):
        """``day`` as the customer reads it, in ``lang`` (by default the reminder's)."""
        if not day:
            return ""
        code = lang or self._relance_lang()
        if relance_lang.is_english(code):  # "31 March 2026", "31 Mar 2026": clear in the US and the UK
            return format_date(self.env, day, lang_code=code, date_format="d MMMM y" if long else "d MMM y")
        if long:
            text = format_date(self.env, day, lang_code=code, date_format="d MMMM y")
            return text.replace("1 ", "1er ", 1) if day.day == 1 else text
        return day.strftime("%d/%m/%Y")

    def _relance_lines(self):
        """One dict per listed invoice: what the table of a message or letter shows. ``about``
        tells the invoices the message is about from the customer's other overdue invoices,
        whose ``stage`` is the last reminder they received."""
        self.ensure_one()
        lines = []
        page_url = self.partner_id._relance_portal_url()
        about = self.level_invoice_ids or self.invoice_ids
        stages = self._relance_stages()
        day = self._relance_day()
        for inv in self.invoice_ids.sorted(lambda m: (m.invoice_date_due or m.date, m.name)):
            lines.append(
                {
                    **self._relance_invoice_line(inv, day),
                    "url": f"{page_url}/invoice/{inv.id}",
                    "about": inv in about,
                    "stage": stages.get(inv.id, ""),
                }
            )
        return lines

    @api.model
    def _relance_invoice_line(self, inv, day, lang=None):
        """An invoice as a table of ours shows it on ``day``: number, dates, amounts in its own
        currency, days late (reminders, letters, the collection file, the customer's page), in
        ``lang`` (by default the reminder's)."""
        return {
            "invoice": inv,
            "name": inv.name,
            "date": self._fmt_date(inv.invoice_date, lang=lang),
            "date_due": self._fmt_date(inv.invoice_date_due, lang=lang),
            "amount": self._fmt_amount(inv.amount_total, inv.currency_id, lang=lang),
            "residual": self._fmt_amount(inv._relance_amount_claimed(), inv.currency_id, lang=lang),
            "days_late": max(relance_rules.days_late(inv.invoice_date_due, day), 0),
        }

    def _relance_penalties(self):
        """Penalties of the reminder: ``{'indemnity', 'interest', 'total', 'lines', 'missing'}``,
        all zero for a consumer or a level that does not apply them."""
        self.ensure_one()
        invoices = self.invoice_ids if self.level_id.apply_penalties else self.env["account.move"]
        return self._relance_penalties_of(self.company_id, self.partner_id, invoices, self._relance_day())

    @api.model
    def _relance_penalties_of(self, company, partner, invoices, day):
        """Penalties owed by ``partner`` to ``company`` on ``day`` for ``invoices`` (the
        collection file computes them on its own date), as ``_relance_penalties``; interest in
        each invoice's currency in ``by_currency``."""
        result = {
            "indemnity": 0.0,
            "interest": 0.0,
            "total": 0.0,
            "lines": [],
            "missing": [],
            "by_currency": defaultdict(float),
        }
        if not invoices or not partner._relance_is_professional() or company._relance_foreign_law(partner):
            return result  # a consumer owes none; abroad without French law, the terms of sale say
        overdue = invoices.filtered(lambda m: m.invoice_date_due < day)
        batch = self.env.context.get("relance_batch") or {}
        key = (company.id, partner.relance_public_buyer)
        rate_for_day = batch.get("rates", {}).get(key) or self.env["relance.rate"]._penalty_rate_function(
            company, partner.relance_public_buyer
        )
        batch.get("rates", {})[key] = rate_for_day
        for inv in overdue:
            residual = inv.amount_residual  # in the invoice's currency: a debt in dollars bears dollars
            due, rate_of = inv.invoice_date_due, rate_for_day
            if partner.relance_public_buyer:
                due, rate_of = self.env["relance.rate"]._public_buyer_terms(inv, batch)
            # part paid: the base falls from each payment
            payments = self._relance_part_payments(overdue, batch).get(inv.id, [])
            # e-invoicing 206: the approved amount only
            interest, periods, missing = relance_legal.interest_on_balances(
                inv._relance_amount_claimed(), payments, due, day, rate_of
            )
            # the record's total is in company currency
            result["interest"] += interest * (inv.amount_residual_signed / residual if residual else 1.0)
            result["by_currency"][inv.currency_id] += interest
            result["missing"] += missing
            result["lines"] += [
                {
                    "name": inv.name,
                    "start": self._fmt_date(start),
                    "end": self._fmt_date(end),
                    "days": days,
                    "rate": relance_lang.format_rate(rate, self._relance_lang()),
                    "interest": self._fmt_amount(base * rate / 100.0 * days / 365.0, inv.currency_id),
                    "base": self._fmt_amount(base, inv.currency_id),
                    # raw values, for the letter's per-invoice column and rate periods
                    "invoice_id": inv.id,
                    "date_start": start,
                    "date_end": end,
                    "rate_value": rate,
                    "value": base * rate / 100.0 * days / 365.0,
                    "currency": inv.currency_id,
                }
                for start, end, days, rate, base in periods
            ]
        result["indemnity"] = relance_rules.fixed_indemnity(True, len(overdue))
        result["interest"] = round(result["interest"], 2)
        result["total"] = result["indemnity"] + result["interest"]
        result["missing"] = sorted(set(result["missing"]))
        return result

    @api.model
    def _relance_part_payments(self, invoices, batch):
        """``{invoice id: [(date, amount)]}``: the payments of the part-paid ``invoices``, read in
        one go (once per run batch: every invoice of the batch at the first call)."""
        cache = batch.get("part_payments") if batch else None
        if cache is not None and all(inv.id in cache["seen"] for inv in invoices):
            return cache["payments"]
        if batch and "reminders" in batch:
            invoices |= batch["reminders"].invoice_ids
        part_paid = invoices.filtered(lambda m: m.amount_residual < m.amount_total)
        payments = {
            move_id: [(p.max_date, p.debit_amount_currency) for p in partials]
            for move_id, partials in part_paid._relance_partials().items()
        }
        if batch is not None:
            batch["part_payments"] = {"seen": set(invoices.ids), "payments": payments}
        return payments

    def _relance_credits(self):
        """Open credits of the customer (credit notes, unreconciled payments) as deductions."""
        self.ensure_one()
        batch = self.env.context.get("relance_batch")
        if batch:
            lines = batch["credits"][self.partner_id.id]
        else:
            lines = self.env["account.move.line"].search(
                self.partner_id._relance_credit_domain(self.company_id)
            )
        result = []
        for line in lines:
            foreign = line.currency_id and line.currency_id != line.company_currency_id
            currency = line.currency_id if foreign else line.company_currency_id
            value = -(line.amount_residual_currency if foreign else line.amount_residual)
            result.append(
                {
                    "name": line.move_id.name or line.name,
                    "date": self._fmt_date(line.date),
                    "amount": self._fmt_amount(value, currency),
                    "value": value,
                    "currency": currency,
                }
            )
        return result

    def _fmt_totals(self, totals, lang=None):
        """``{currency: amount}`` as the customer reads it, the company's currency first:
        ``1 200,00 € + $ 925,93``; in ``lang`` (by default the reminder's)."""
        order = sorted(totals, key=lambda c: (c != self.company_id.currency_id, c.name))
        return " + ".join(self._fmt_amount(totals[c], c, lang=lang) for c in order) or self._fmt_amount(
            0.0, lang=lang
        )

    def _relance_specialist(self):
        self.ensure_one()
        return self.user_id or self.company_id._relance_specialist(self.partner_id)

    def _relance_contact(self):
        """The customer's invoicing contact (falls back to the customer itself)."""
        self.ensure_one()
        return self.partner_id.browse(self.partner_id.address_get(["invoice"])["invoice"])

    def _relance_values(self):
        """Everything a template or a letter needs, formatted the French way (computed once
        per reminder while the run processes it: the email, its blocks and the letter share it)."""
        self.ensure_one()
        batch = self.env.context.get("relance_batch")
        if batch is None:
            return self._relance_compute_values()
        cache = batch["values"]
        if self.id not in cache:
            cache[self.id] = self._relance_compute_values()
        return cache[self.id]

    def _relance_compute_values(self):
        company = self.company_id
        partner = self.partner_id
        penalties = self._relance_penalties()
        credits = self._relance_credits()
        # the 40 € indemnity is in euros (the xml id is cached; env.ref would check it exists each time)
        euro = self.env["res.currency"].browse(self.env["ir.model.data"]._xmlid_to_res_id("base.EUR"))
        residual = relance_rules.sum_by_currency(
            (inv.currency_id, inv._relance_amount_claimed()) for inv in self.invoice_ids
        )
        credit_total = relance_rules.sum_by_currency((c["currency"], c["value"]) for c in credits)
        net = relance_rules.net_by_currency(residual, credit_total)
        penalty_total = relance_rules.add_by_currency(
            {euro: penalties["indemnity"]} if penalties["indemnity"] else {}, penalties["by_currency"]
        )
        bank = company.partner_id.bank_ids[:1]
        specialist = self._relance_specialist()
        contact = self._relance_contact()
        lang = self._relance_lang()
        salutation, civility = contact._relance_salutation(lang)
        return {
            "lines": self._relance_lines(),
            "other_overdue": self.level_invoice_ids and bool(self.invoice_ids - self.level_invoice_ids),
            "currencies": list(residual),
            "total_residual": self._fmt_totals(residual),
            "total_amount": self._fmt_totals(
                relance_rules.sum_by_currency((inv.currency_id, inv.amount_total) for inv in self.invoice_ids)
            ),
            "credits": credits,
            "credit_total": self._fmt_totals(credit_total),
            "net_due": self._fmt_totals(net),
            "penalties": penalties,
            "indemnity": self._fmt_amount(penalties["indemnity"], euro),
            "interest": self._fmt_totals(penalties["by_currency"]),
            "penalty_total": self._fmt_totals(penalty_total),
            "grand_total": self._fmt_totals(relance_rules.add_by_currency(net, penalty_total)),
            "previous": self._relance_previous(),
            "broken_promises": self._relance_broken_promises(),
            "broken_plans": self._relance_broken_plans(),
            # e-invoicing: payments the buyer said it sent (211), what its platform proves (203, 205)
            "payment_sent": self.invoice_ids._relance_einvoice_recalls(self._relance_day()),
            "einvoice_evidence": self.level_id.needs_validation
            and self.invoice_ids._relance_einvoice_evidence(),
            "date": self._fmt_date(self._relance_day()),
            "date_long": self._fmt_date(self._relance_day(), long=True),
            "deadline": self._fmt_date(self._relance_deadline(), long=True),  # from the delivery when known
            "deadline_days": company.relance_formal_notice_days or 15,
            "iban": bank.acc_number or "",
            "bic": bank.bank_bic or "",
            "bank_name": bank.bank_name or "",
            "pay_url": self.partner_id._relance_portal_url(),
            "specialist_name": specialist.name or company.name,
            "signature": company.with_context(lang=lang)._relance_signature(specialist),
            "signature_letter": company.with_context(lang=lang)._relance_signature(specialist, letter=True),
            "specialist_email": specialist.email or company.email or "",
            "specialist_phone": specialist.phone or compat.partner_mobile(specialist) or company.phone or "",
            "contact": contact,
            # "Madame Durand," to a person of known title, "Madame, Monsieur," when nothing is known
            "salutation": salutation,
            "civility": civility,
            "closing": relance_lang.closing(civility, lang),
            "lang": lang,
            "public_buyer": partner.relance_public_buyer,
            "debtor_kind": partner._relance_debtor_kind(),
            "foreign_law": company._relance_foreign_law(partner),
            # the suspension is said once; later messages say the account remains suspended
            "suspends": self.announces_suspension,
            "remains_suspended": partner.relance_suspended and not self.announces_suspension,
            "paid_since": self._relance_paid_since(),
            # the account escalates as one: the other invoices listed fell due since
            "recent_part": self.level_id.policy_id.escalation == "account",
            "max_days_late": max(
                [0]
                + [
                    relance_rules.days_late(inv.invoice_date_due, self._relance_day())
                    for inv in self.invoice_ids
                ]
            ),
        }

    def _relance_block(self, block):
        """A shared block of the messages (``invoice_table``, ``previous_block``,
        ``payment_block``) rendered by QWeb with the reminder's facts."""
        self.ensure_one()
        values = self._relance_values()
        return Markup(
            self.env["ir.qweb"]
            .with_context(lang=values["lang"])
            ._render(f"relance_fr.relance_{block}", {"o": self, "v": values})
        )

    def _relance_letter_values(self, values=None):
        """What the letter adds to ``_relance_values()``: the address for the envelope
        window, the page geometry, the level's text, interest per invoice, rate periods and
        the legal mentions."""
        self.ensure_one()
        values = values or self._relance_values()
        company = self.company_id
        partner = self.partner_id
        contact = values["contact"]
        address = contact if contact != partner and contact._relance_has_address() else partner
        attention = contact.name if contact != partner and contact.name != partner.name else ""
        country = address.country_id if address.country_id != company.country_id else False
        penalties = values["penalties"]
        interest = defaultdict(float)
        currencies = {}
        for line in penalties["lines"]:
            interest[line["invoice_id"]] += line["value"]
            currencies[line["invoice_id"]] = line["currency"]
        qr = relance_letter.qr_png(values["pay_url"])
        words = relance_lang.words(values["lang"])
        return {
            "key": self._relance_template_key(),
            # the earlier reminders in one sentence, separated as the language writes it
            "previous_line": words["list"].join(prev["text"] for prev in values["previous"]),
            "pay_qr": "data:image/png;base64," + base64.b64encode(qr).decode(),
            "address": address._relance_postal_lines(
                partner.name,
                attention and words["attention"] % attention,
                country,
            ),
            "geometry": company._relance_letter_geometry(),
            "interest": {
                inv_id: self._fmt_amount(value, currencies[inv_id]) for inv_id, value in interest.items()
            },
            "rate_periods": [
                {
                    "rate": relance_lang.format_rate(rate, values["lang"]),
                    "start": self._fmt_date(start),
                    "end": self._fmt_date(end),
                }
                for rate, start, end in relance_letter.rate_periods(penalties["lines"])
            ],
            "overdue_count": len(
                self.invoice_ids.filtered(lambda m: m.invoice_date_due < self._relance_day())
            ),
            "professional": partner._relance_is_professional(),
            "iban": relance_letter.format_iban(values["iban"]),
            "legal": company._relance_legal_mentions(),
        }
