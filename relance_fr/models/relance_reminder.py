import logging
from collections import defaultdict

from markupsafe import Markup
from psycopg2.extensions import TransactionRollbackError

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_amount, format_date, split_every

from ..tools import relance_letter, relance_rules
from .ir_actions_report import DOCUMENTS_PER_CALL
from .relance_level import CHANNELS

_logger = logging.getLogger(__name__)

STATES = [
    ("draft", "Draft"),
    ("to_validate", "To validate"),
    ("to_send", "To send"),
    ("to_print", "To print"),
    ("sent", "Sent"),
    ("error", "Error"),
    ("cancel", "Cancelled"),
]
LETTER_CHANNELS = ("letter", "email_letter", "registered_letter", "registered_letter_email")
EMAIL_CHANNELS = ("email", "email_letter", "registered_letter_email")
LANG = "fr_FR"
MIMETYPES = {"pdf": "application/pdf", "html": "text/html"}  # what _relance_render gives
BATCH_SIZE = 1000


class RelanceReminder(models.Model):
    _name = "relance.reminder"
    _description = "Payment reminder"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    level_id = fields.Many2one("relance.level", string="Level", required=True, index=True, check_company=True)
    channel = fields.Selection(CHANNELS, required=True, help="Channel as sent, after any fallback.")
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    invoice_ids = fields.Many2many(
        "account.move",
        "relance_reminder_account_move_rel",
        "reminder_id",
        "move_id",
        string="Invoices",
        check_company=True,
    )
    amount_due = fields.Monetary("Amount due", currency_field="currency_id")
    penalty_amount = fields.Monetary("Penalties", currency_field="currency_id")
    state = fields.Selection(STATES, default="draft", required=True, index=True, tracking=True)
    error_message = fields.Text()
    letter_attachment_id = fields.Many2one("ir.attachment", string="Letter (PDF)", copy=False)
    tracking_number = fields.Char(copy=False, tracking=True)
    user_id = fields.Many2one("res.users", string="AR specialist", index=True)
    is_registered = fields.Boolean(compute="_compute_is_registered")

    @api.depends("partner_id", "level_id", "date")
    def _compute_display_name(self):
        for reminder in self:
            reminder.display_name = " – ".join(
                filter(None, [reminder.level_id.name, reminder.partner_id.name])
            )

    @api.depends("channel")
    def _compute_is_registered(self):
        for reminder in self:
            reminder.is_registered = reminder.channel in ("registered_letter", "registered_letter_email")

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_validate(self):
        """Formal notice validated by an accounting manager: it goes out now."""
        if not self.env.user.has_group("account.group_account_manager"):
            raise UserError(self.env._("Only an accounting manager can validate a formal notice."))
        for reminder in self:
            if reminder.state != "to_validate":
                raise UserError(
                    self.env._("%(reminder)s is not waiting for validation.", reminder=reminder.display_name)
                )
        for reminder in self:
            reminder.activity_feedback(["mail.mail_activity_data_todo"])
            reminder.message_post(body=self.env._("Validated by %(user)s.", user=self.env.user.name))
            reminder._relance_deliver()

    def action_cancel(self):
        for reminder in self:
            if reminder.state in ("to_validate",) and not self.env.user.has_group(
                "account.group_account_manager"
            ):
                raise UserError(self.env._("Only an accounting manager can cancel a formal notice."))
            if reminder.state == "sent":
                raise UserError(self.env._("%(reminder)s was already sent.", reminder=reminder.display_name))
        self.activity_unlink(["mail.mail_activity_data_todo"])
        self.write({"state": "cancel"})

    def action_mark_sent(self):
        """Letters printed and posted: record it (the tracking number when registered)."""
        for reminder in self:
            if reminder.state != "to_print":
                raise UserError(
                    self.env._("%(reminder)s is not waiting to be printed.", reminder=reminder.display_name)
                )
        self.write({"state": "sent"})

    def action_print_letters(self):
        """The letters of the selected reminders, as one PDF with one letter each."""
        letters = self.filtered(lambda r: r.channel in LETTER_CHANNELS)
        if not letters:
            raise UserError(self.env._("None of the selected reminders goes by letter."))
        # config=False: the letter draws its own letterhead, no document layout to set up first
        return self.env.ref("relance_fr.action_report_relance_letter").report_action(letters, config=False)

    # ------------------------------------------------------------------
    # Facts shown in messages and letters (shared by templates and letters)
    # ------------------------------------------------------------------
    def _fmt_amount(self, amount, currency=None):
        currency = currency or self.currency_id
        lang = self.env["res.lang"]._get_data(code=LANG)
        if lang.grouping != "[3,0]":
            return format_amount(self.env, amount, currency, LANG)
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

    def _fmt_date(self, day, long=False):
        if not day:
            return ""
        if long:
            text = format_date(self.env, day, lang_code=LANG, date_format="d MMMM y")
            return text.replace("1 ", "1er ", 1) if day.day == 1 else text
        return day.strftime("%d/%m/%Y")

    def _relance_lines(self):
        """One dict per listed invoice: what the table of a message or letter shows."""
        self.ensure_one()
        lines = []
        base_url = self.get_base_url()
        for inv in self.invoice_ids.sorted(lambda m: (m.invoice_date_due or m.date, m.name)):
            late = relance_rules.days_late(inv.invoice_date_due, self.date)
            lines.append(
                {
                    "invoice": inv,
                    "name": inv.name,
                    "date": self._fmt_date(inv.invoice_date),
                    "date_due": self._fmt_date(inv.invoice_date_due),
                    "amount": self._fmt_amount(inv.amount_total, inv.currency_id),
                    "residual": self._fmt_amount(inv.amount_residual, inv.currency_id),
                    "days_late": max(late, 0),
                    "url": base_url + inv.get_portal_url(),
                }
            )
        return lines

    def _relance_penalties(self):
        """Penalties of the reminder: ``{'indemnity', 'interest', 'total', 'lines', 'missing'}``,
        all zero for a consumer or a level that does not apply them."""
        self.ensure_one()
        result = {"indemnity": 0.0, "interest": 0.0, "total": 0.0, "lines": [], "missing": []}
        partner = self.partner_id
        if not self.level_id.apply_penalties or not partner._relance_is_professional():
            return result
        overdue = self.invoice_ids.filtered(lambda m: m.invoice_date_due < self.date)
        batch = self.env.context.get("relance_batch") or {}
        key = (self.company_id.id, partner.relance_public_buyer)
        rate_for_day = batch.get("rates", {}).get(key) or self.env["relance.rate"]._penalty_rate_function(
            self.company_id, partner.relance_public_buyer
        )
        batch.get("rates", {})[key] = rate_for_day
        for inv in overdue:
            residual = inv.amount_residual_signed  # company currency
            interest, periods, missing = relance_rules.late_interest(
                residual, inv.invoice_date_due, self.date, rate_for_day
            )
            result["interest"] += interest
            result["missing"] += missing
            result["lines"] += [
                {
                    "name": inv.name,
                    "start": self._fmt_date(start),
                    "end": self._fmt_date(end),
                    "days": days,
                    "rate": ("%.2f %%" % rate).replace(".", ","),
                    "interest": self._fmt_amount(residual * rate / 100.0 * days / 365.0),
                    # raw values, for the letter's per-invoice column and rate periods
                    "invoice_id": inv.id,
                    "date_start": start,
                    "date_end": end,
                    "rate_value": rate,
                    "value": residual * rate / 100.0 * days / 365.0,
                }
                for start, end, days, rate in periods
            ]
        result["indemnity"] = relance_rules.fixed_indemnity(True, len(overdue))
        result["interest"] = round(result["interest"], 2)
        result["total"] = result["indemnity"] + result["interest"]
        result["missing"] = sorted(set(result["missing"]))
        return result

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
        return [
            {
                "name": line.move_id.name or line.name,
                "date": self._fmt_date(line.date),
                "amount": self._fmt_amount(-line.amount_residual),
                "value": -line.amount_residual,
            }
            for line in lines
        ]

    def _relance_previous(self):
        """Earlier reminders of this customer that went out, oldest first."""
        self.ensure_one()
        batch = self.env.context.get("relance_batch")
        if batch:
            previous = batch["previous"][self.partner_id.id]
        else:
            previous = self.search(self._relance_previous_domain(self.partner_id), order="date, id")
        return [
            {"level": r.level_id.name, "date": self._fmt_date(r.date)}
            for r in previous
            if r.id != self.id and r.date <= self.date
        ]

    def _relance_previous_domain(self, partners):
        return [
            ("partner_id", "in", partners.ids),
            ("company_id", "in", self.company_id.ids),
            ("state", "in", ("sent", "to_print")),
        ]

    def _relance_batch(self):
        """What the reminders of one batch share, read in a few grouped queries: earlier
        reminders and open credits per customer, rate tables, computed values, rendered emails
        and invoice PDFs; and the queue of what the run writes once every customer is done
        (invoice marks, emails, notes, activities, letters)."""
        batch = {
            "values": {},
            "rates": {},
            "emails": {},
            "attachments": {},
            "previous": defaultdict(list),
            "credits": defaultdict(lambda: self.env["account.move.line"]),
            **self._relance_new_queue(),
        }
        for reminder in self.search(self._relance_previous_domain(self.partner_id), order="date, id"):
            batch["previous"][reminder.partner_id.id].append(reminder)
        for company in self.company_id:
            partners = self.filtered(lambda r, c=company: r.company_id == c).partner_id
            for line in self.env["account.move.line"].search(partners._relance_credit_domain(company)):
                batch["credits"][line.partner_id.commercial_partner_id.id] |= line
        return batch

    def _relance_new_queue(self):
        return {"marks": [], "mails": [], "notes": [], "activities": [], "letters": self.browse()}

    def _relance_queue(self, kind, vals):
        """Create now, or, during a run, with the rest of the batch once every customer is done."""
        queue = self.env.context.get("relance_queue")
        now = queue is None
        if now:
            queue = self._relance_new_queue()
        if kind == "letters":
            queue[kind] |= vals
        else:
            queue[kind].append(vals)
        if now:
            self._relance_write_queue(queue)

    def _relance_write_queue(self, queue):
        marks = defaultdict(lambda: self.env["account.move"])
        for level, day, invoices in queue["marks"]:
            marks[level, day] |= invoices
        for (level, day), invoices in marks.items():
            invoices._relance_mark_reminded(level, day)
        # each email's chatter message first, then the email on it: the body is checked
        # (sanitized) once per message instead of again for the email
        messages = self.env["mail.message"].sudo().create([message for message, _mail in queue["mails"]])
        self.env["mail.mail"].sudo().create(
            [
                {**mail, "mail_message_id": message.id}
                for message, (_message, mail) in zip(messages, queue["mails"], strict=True)
            ]
        )
        self.env["mail.message"].sudo().create(queue["notes"])
        self.env["mail.activity"].sudo().create(queue["activities"])
        if queue["letters"]:
            queue["letters"]._relance_make_letters()

    def _relance_note(self, record, body, partners=None):
        """Queue an internal note in the chatter of ``record``."""
        self._relance_queue("notes", self._relance_note_vals(record, body, partners))

    def _relance_note_vals(self, record, body, partners=None, attachments=None):
        return {
            "model": record._name,
            "res_id": record.id,
            "message_type": "notification",
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
            "author_id": self.env.user.partner_id.id,
            "reply_to": self.company_id.email_formatted or self.env.user.email_formatted,
            "body": Markup("<p>%s</p>") % body,
            "partner_ids": [(6, 0, partners.ids if partners else [])],
            "attachment_ids": [(6, 0, attachments.ids if attachments else [])],
        }

    def _relance_activity(self, record, activity_xmlid, summary, note, user):
        """Queue a to-do (or a call) for ``user`` on ``record``, due on the reminder's date."""
        self._relance_queue(
            "activities",
            {
                "res_model_id": self.env["ir.model"]._get_id(record._name),
                "res_id": record.id,
                "activity_type_id": self.env["ir.model.data"]._xmlid_to_res_id(activity_xmlid),
                "summary": summary,
                "note": Markup("<p>%s</p>") % note,
                "user_id": user.id,
                "date_deadline": self.date,
            },
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
        penalties = self._relance_penalties()
        credits = self._relance_credits()
        residual = sum(self.invoice_ids.mapped("amount_residual_signed"))
        credit_total = sum(c["value"] for c in credits)
        bank = company.partner_id.bank_ids[:1]
        specialist = self._relance_specialist()
        return {
            "lines": self._relance_lines(),
            "total_residual": self._fmt_amount(residual),
            "total_amount": self._fmt_amount(sum(self.invoice_ids.mapped("amount_total_signed"))),
            "credits": credits,
            "credit_total": self._fmt_amount(credit_total),
            "net_due": self._fmt_amount(max(residual - credit_total, 0.0)),
            "penalties": penalties,
            "indemnity": self._fmt_amount(penalties["indemnity"]),
            "interest": self._fmt_amount(penalties["interest"]),
            "penalty_total": self._fmt_amount(penalties["total"]),
            "grand_total": self._fmt_amount(max(residual - credit_total, 0.0) + penalties["total"]),
            "previous": self._relance_previous(),
            "date": self._fmt_date(self.date),
            "date_long": self._fmt_date(self.date, long=True),
            "deadline": self._fmt_date(
                fields.Date.add(self.date, days=company.relance_formal_notice_days or 15), long=True
            ),
            "deadline_days": company.relance_formal_notice_days or 15,
            "iban": bank.acc_number or "",
            "bic": bank.bank_bic or "",
            "bank_name": bank.bank_name or "",
            "pay_url": self.invoice_ids[:1].get_base_url() + self.invoice_ids[:1].get_portal_url()
            if len(self.invoice_ids) == 1
            else self.get_base_url() + "/my/invoices",
            "specialist_name": specialist.name or company.name,
            "specialist_email": specialist.email or company.email or "",
            "specialist_phone": specialist.phone or specialist.mobile or company.phone or "",
            "contact": self._relance_contact(),
        }

    def _relance_block(self, block):
        """A shared block of the messages (``invoice_table``, ``previous_block``,
        ``payment_block``) rendered by QWeb with the reminder's facts."""
        self.ensure_one()
        return Markup(
            self.env["ir.qweb"]._render(
                f"relance_fr.relance_{block}", {"o": self, "v": self._relance_values()}
            )
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
        for line in penalties["lines"]:
            interest[line["invoice_id"]] += line["value"]
        template = self.level_id.mail_template_id
        key = template.get_external_id().get(template.id, "") if template else ""
        city = " ".join(filter(None, [company.zip, company.city]))
        company_address = ", ".join(filter(None, [company.street, company.street2, city]))
        return {
            "key": key.removeprefix("relance_fr.mail_template_"),
            "address": relance_letter.postal_lines(
                partner.name,
                attention and f"À l'attention de {attention}",
                address.street,
                address.street2,
                address.zip,
                address.city,
                country and country.name,
            ),
            "geometry": company._relance_letter_geometry(),
            "interest": {inv_id: self._fmt_amount(value) for inv_id, value in interest.items()},
            "rate_periods": [
                {
                    "rate": f"{rate:.2f} %".replace(".", ","),
                    "start": self._fmt_date(start),
                    "end": self._fmt_date(end),
                }
                for rate, start, end in relance_letter.rate_periods(penalties["lines"])
            ],
            "overdue_count": len(self.invoice_ids.filtered(lambda m: m.invoice_date_due < self.date)),
            "professional": partner._relance_is_professional(),
            "iban": relance_letter.format_iban(values["iban"]),
            "legal": [
                " – ".join(filter(None, [company.name, company.relance_legal_form, company_address])),
                " – ".join(
                    filter(
                        None,
                        [
                            relance_letter.registry_mention(company.company_registry),
                            "siret" in company._fields and company.siret and f"SIRET {company.siret}",
                            company.vat and f"N° TVA intracommunautaire {company.vat}",
                        ],
                    )
                ),
            ],
        }

    # ------------------------------------------------------------------
    # The run
    # ------------------------------------------------------------------
    @api.model
    def _cron_run(self, batch_size=BATCH_SIZE):
        """Daily run: one batch of customers per call, progress reported to the cron."""
        today = fields.Date.context_today(self)
        self.search([("state", "=", "draft"), ("date", "<", today)]).unlink()
        done = remaining = 0
        for company in self.env["res.company"].search([]):
            budget = batch_size - done
            if budget <= 0:
                remaining += len(self.with_company(company)._relance_candidates(today))
                continue
            processed, left = self.with_company(company)._relance_run_batch(today, budget)
            done += processed
            remaining += left
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    @api.model
    def _relance_candidates(self, today):
        """Ids of the company's customers with something due today, after the minimum gap,
        without a reminder today already (one per customer per day)."""
        company = self.env.company
        rows = self.env.execute_query(
            SQL(
                """
            SELECT m.commercial_partner_id
              FROM account_move m
              JOIN res_partner p ON p.id = m.commercial_partner_id
             WHERE m.company_id = %(company)s
               AND m.move_type = 'out_invoice'
               AND m.state = 'posted'
               AND m.payment_state IN ('not_paid', 'partial')
               AND m.relance_next_date <= %(today)s
               AND m.relance_excluded IS NOT TRUE
               AND p.relance_excluded IS NOT TRUE
               AND (p.relance_checked_date IS NULL OR p.relance_checked_date < %(today)s)
               AND NOT EXISTS (
                   SELECT 1 FROM relance_reminder r
                    WHERE r.partner_id = m.commercial_partner_id
                      AND r.company_id = %(company)s
                      AND r.date = %(today)s
                      AND r.state != 'draft')
             GROUP BY m.commercial_partner_id
             ORDER BY m.commercial_partner_id
            """,
                company=company.id,
                today=today,
            )
        )
        partners = self.env["res.partner"].browse([r[0] for r in rows])
        policies = partners._relance_policies(company)
        last_dates = dict(
            self.env["relance.reminder"]._read_group(
                [
                    ("partner_id", "in", partners.ids),
                    ("company_id", "=", company.id),
                    ("state", "not in", ("draft", "error", "cancel")),
                ],
                ["partner_id"],
                ["date:max"],
            )
        )
        return [
            p.id
            for p in partners
            if policies.get(p.id)
            and relance_rules.gap_respected(last_dates.get(p), today, policies[p.id].min_gap_days)
        ]

    @api.model
    def _relance_lock(self, partner_ids, today=None):
        """Lock the customers' rows for this transaction, skipping those another run holds,
        and mark them checked for the day so that they drop out of the day's selection.
        The update also makes a concurrent run that read them before our commit fail to lock
        them (serialization error) instead of working from a stale picture."""
        if not partner_ids:
            return []
        rows = self.env.execute_query(
            SQL(
                """
            UPDATE res_partner SET relance_checked_date = %s
             WHERE id IN (SELECT id FROM res_partner WHERE id = ANY(%s)
                          ORDER BY id FOR NO KEY UPDATE SKIP LOCKED)
            RETURNING id
            """,
                today or fields.Date.context_today(self),
                list(partner_ids),
            )
        )
        self.env["res.partner"].invalidate_model(["relance_checked_date"])
        return sorted(r[0] for r in rows)

    @api.model
    def _relance_run_batch(self, today, limit):
        """Process up to ``limit`` due customers of the current company.
        Returns ``(processed, remaining)``."""
        candidates = self._relance_candidates(today)
        locked = self._relance_lock(candidates[:limit], today)
        partners = self.env["res.partner"].browse(locked)
        prepared = self._relance_prepare(partners, today)
        # no tracking messages for what the run itself creates and decides: the reminder's
        # chatter keeps the email, the letter and the notes
        reminders = self.with_context(tracking_disable=True).create(
            [prepared[p.id] for p in partners if p.id in prepared]
        )
        reminders.invoice_ids._relance_ensure_portal_tokens()
        reminders._relance_process()
        return len(locked), max(len(candidates) - limit, 0)

    @api.model
    def _relance_prepare(self, partners, today):
        """Reminder values for each customer with a level due today: ``{partner_id: vals}``.
        One search for all the customers' open invoices; levels decided by the pure rules."""
        company = self.env.company
        invoices = self.env["account.move"].search(
            [
                ("company_id", "=", company.id),
                ("commercial_partner_id", "in", partners.ids),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("relance_excluded", "=", False),
            ]
        )
        by_partner = defaultdict(lambda: self.env["account.move"])
        for inv in invoices:
            by_partner[inv.commercial_partner_id.id] |= inv
        credits = partners._relance_open_credits(company)
        policies = partners._relance_policies(company)
        result = {}
        for partner in partners:
            policy = policies.get(partner.id)
            if not policy or partner.relance_excluded:
                continue
            levels = policy._levels_tuples()
            due_levels = {}
            listed = self.env["account.move"]
            for inv in by_partner[partner.id]:
                if not inv.invoice_date_due or inv.amount_residual <= 0:
                    continue
                reached = inv.relance_level_id.days if inv.relance_level_id else None
                due = relance_rules.due_level(
                    levels, relance_rules.days_late(inv.invoice_date_due, today), reached
                )
                if due:
                    due_levels[inv.id] = due[0]
                if due or inv.invoice_date_due < today:
                    listed |= inv
            if not due_levels:
                continue
            level = self.env["relance.level"].browse(
                max(due_levels.values(), key=lambda lid: dict(levels)[lid])
            )
            if level.days > 0:
                # a dunning level claims what is overdue; an invoice not yet due keeps its
                # courtesy notice for a later day
                listed = listed.filtered(lambda m: m.invoice_date_due < today)
            amount_due = sum(listed.mapped("amount_residual_signed"))
            if amount_due - credits.get(partner.id, 0.0) <= 0:
                continue  # the customer's credits cover it: nothing to ask
            result[partner.id] = {
                "partner_id": partner.id,
                "company_id": company.id,
                "level_id": level.id,
                "channel": level.channel,
                "date": today,
                "invoice_ids": [(6, 0, listed.ids)],
                "amount_due": amount_due,
                "user_id": company._relance_specialist(partner).id,
                "state": "draft",
            }
        return result

    def _relance_process(self):
        """Decide channel and state of draft reminders, then send them or queue them.

        The batch goes in one pass: each customer's writes are queued and made in a few
        grouped queries once all are done. The problems a customer can have (no address for a
        letter, an email template missing or failing) are found first and become ``error``
        reminders. Anything unforeseen rolls the pass back; the batch is then done again one
        customer at a time, each in its own savepoint, so that the failure becomes an
        ``error`` reminder and the other customers' reminders go out."""
        try:
            with self.env.cr.savepoint():
                batch = self._relance_batch()
                self.with_context(relance_batch=batch, relance_queue=batch)._relance_process_each()
                self._relance_write_queue(batch)
        except TransactionRollbackError:
            raise  # another transaction got in the way: the whole batch again, at the cron's next call
        except Exception:  # noqa: BLE001 - one customer's failure must not stop the run
            _logger.warning("Dunning batch failed: done again one customer at a time", exc_info=True)
            self.with_context(relance_batch=self._relance_batch())._relance_process_each(isolate=True)

    def _relance_process_each(self, isolate=False):
        problems = self._relance_decide()
        if not isolate:
            # the invoice PDFs of the whole batch, rendered together (one customer at a time,
            # each is rendered with its email, where a failure stays the customer's)
            attach = self.filtered(
                lambda r: r not in problems
                and r.channel in EMAIL_CHANNELS
                and not r.level_id.needs_validation
                and r.company_id.relance_attach_invoice_pdf
            )
            self.env.context["relance_batch"]["attachments"].update(attach._relance_invoice_attachments())
        for reminder in self:
            if reminder in problems:
                continue
            if not isolate:
                reminder._relance_process_one()
                continue
            try:
                with self.env.cr.savepoint():
                    reminder._relance_process_one()
            except TransactionRollbackError:
                raise
            except Exception as exc:  # noqa: BLE001 - any failure must not stop the run
                _logger.warning("Reminder %s failed: %s", reminder.id, exc)
                problems[reminder] = str(exc)
        for reminder, message in problems.items():
            reminder.write({"state": "error", "error_message": message})

    def _relance_decide(self):
        """Channel (after fallback) and penalties of each reminder; the emails of those that
        go out now, rendered per template for all at once. Returns ``{reminder: problem}``
        for those that cannot go out."""
        problems = {}
        for reminder in self:
            values = reminder._relance_values()
            reminder.channel = channel = reminder._relance_channel()[0]
            reminder.penalty_amount = values["penalties"]["total"]
            if channel in LETTER_CHANNELS and not reminder.partner_id._relance_has_address():
                problems[reminder] = self.env._(
                    "%(partner)s has no complete postal address (street, zip, city): "
                    "the letter cannot be sent.",
                    partner=reminder.partner_id.display_name,
                )
        emails = self.filtered(
            lambda r: r not in problems and r.channel in EMAIL_CHANNELS and not r.level_id.needs_validation
        )
        rendered = self.env.context["relance_batch"]["emails"]
        for template, reminders in emails.grouped(lambda r: r.level_id.mail_template_id).items():
            problems.update(reminders._relance_render_emails(template, rendered))
        return problems

    def _relance_channel(self):
        """``(channel, fallback)``: the level's channel as the customer takes it; ``fallback``
        when an email goes by letter for want of an address."""
        return relance_rules.effective_channel(
            self.level_id.channel,
            self.partner_id.relance_channel,
            bool(self._relance_values()["contact"].email),
        )

    def _relance_render_emails(self, template, rendered):
        """Render ``template`` for the reminders into ``rendered`` (``{id: values}``);
        ``{reminder: problem}`` for those it fails for (all at once, then one by one to tell
        which)."""
        if not template:
            return {
                r: self.env._("Level %(level)s has no email template.", level=r.level_id.name) for r in self
            }
        template = template.with_context(lang=LANG, relance_qweb_cache={})  # body compiled once
        render_fields = ("subject", "body_html", "email_from", "partner_to")
        try:
            rendered.update(template._generate_template(self.ids, render_fields))
            return {}
        except Exception:  # noqa: BLE001 - a broken template is the reminder's error, below
            problems = {}
            for reminder in self:
                try:
                    rendered.update(template._generate_template(reminder.ids, render_fields))
                except Exception as exc:  # noqa: BLE001
                    problems[reminder] = str(exc)
            return problems

    def _relance_process_one(self):
        self.ensure_one()
        partner = self.partner_id
        level = self.level_id
        values = self._relance_values()
        if self._relance_channel()[1]:
            self._relance_note(
                self,
                self.env._(
                    "%(partner)s has no email address: this reminder goes by letter.",
                    partner=values["contact"].display_name,
                ),
            )
        penalties = values["penalties"]
        if penalties["missing"]:
            missing = ", ".join(self._fmt_date(d) for d in penalties["missing"])
            _logger.warning("Reminder %s: no rate for the half-year(s) of %s", self.id, missing)
            self._relance_note(
                self,
                self.env._(
                    "No interest rate is known for the half-year(s) starting %(dates)s: "
                    "complete the rate table; those days bear no interest here.",
                    dates=missing,
                ),
            )
        self._relance_queue("marks", (level, self.date, self.invoice_ids))
        if level.notify_salesperson:
            self._relance_notify_salesperson()
        if level.suspend_partner and not partner.relance_public_buyer and not partner.relance_suspended:
            # the run's decision, whoever triggers it: billing users may not edit customers
            partner.sudo().relance_suspended = True
            self._relance_note(
                partner,
                self.env._("Account suspended for late payment (%(level)s).", level=level.name),
            )
        if level.needs_validation:
            self.state = "to_validate"
            self._relance_activity(
                self,
                "mail.mail_activity_data_todo",
                self.env._("Validate the formal notice"),
                self.env._(
                    "Formal notice to %(partner)s for %(amount)s: validate it or cancel it.",
                    partner=partner.display_name,
                    amount=values["net_due"],
                ),
                self.user_id or self.env.user,
            )
            return
        self._relance_deliver()

    def _relance_deliver(self):
        """Send the email part, produce the letter part, or hand the call to the specialist."""
        self.ensure_one()
        channel = self.channel
        if channel == "phone":
            values = self._relance_values()
            self._relance_activity(
                self,
                "mail.mail_activity_data_call",
                self.env._("Call %(partner)s about overdue invoices", partner=self.partner_id.name),
                self.env._(
                    "%(level)s: %(count)s invoice(s), %(amount)s overdue (%(names)s). "
                    "Ask for a payment date; remind them of the bank details %(iban)s.",
                    level=self.level_id.name,
                    count=len(self.invoice_ids),
                    amount=values["net_due"],
                    names=", ".join(self.invoice_ids.mapped("name")),
                    iban=values["iban"] or "-",
                ),
                self.user_id or self.env.user,
            )
            self.state = "sent"
            return
        if channel in EMAIL_CHANNELS:
            self._relance_send_email()
        if channel in LETTER_CHANNELS:
            self._relance_queue("letters", self)
            self.state = "to_print"
        else:
            self.state = "sent"

    def _relance_send_email(self):
        self.ensure_one()
        rendered = (self.env.context.get("relance_batch") or {}).get("emails", {})
        if self.id not in rendered:  # a formal notice validated: rendered now
            problem = self._relance_render_emails(self.level_id.mail_template_id, rendered)
            if problem:
                raise UserError(problem[self])
        values = rendered[self.id]
        attachments = self.env["ir.attachment"]
        if self.company_id.relance_attach_invoice_pdf:
            prepared = (self.env.context.get("relance_batch") or {}).get("attachments", {})
            attachments = (
                prepared[self.id] if self.id in prepared else self._relance_invoice_attachments()[self.id]
            )
        # queued directly (the mail composer costs as much again): the mail carries its
        # chatter message, to the invoicing contact, kept as evidence
        recipients = [(6, 0, values.get("partner_ids", []))]
        message = {
            "model": self._name,
            "res_id": self.id,
            "message_type": "comment",
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment"),
            "author_id": (self._relance_specialist().partner_id or self.company_id.partner_id).id,
            "email_from": values.get("email_from"),
            "reply_to": values.get("email_from"),
            "subject": values.get("subject"),
            "body": values.get("body_html"),
            "partner_ids": recipients,
            "attachment_ids": [(6, 0, attachments.ids)],
        }
        mail = {"body_html": values.get("body_html"), "recipient_ids": recipients, "auto_delete": False}
        self._relance_queue("mails", (message, mail))

    def _relance_invoice_attachments(self):
        """The PDFs of the reminders' invoices, attached to each reminder: ``{reminder id:
        attachments}``. An invoice's stored PDF is reused; the others are rendered together,
        a hundred at a time so that memory stays bounded."""
        result = defaultdict(lambda: self.env["ir.attachment"])
        pairs = [(reminder, inv) for reminder in self for inv in reminder.invoice_ids]
        for chunk in split_every(DOCUMENTS_PER_CALL, pairs):
            missing = self.env["account.move"].union(
                *(inv for _r, inv in chunk if not inv.invoice_pdf_report_id)
            )
            contents = self._relance_render("account.account_invoices", missing) if missing else {}
            vals_list = []
            for reminder, inv in chunk:
                stored = inv.invoice_pdf_report_id
                content, ext = (stored.raw, None) if stored else contents[inv.id]
                mimetype = stored.mimetype if stored else MIMETYPES[ext]
                vals_list.append(
                    {
                        "name": stored.name if stored else inv._get_invoice_report_filename(ext),
                        "raw": content,
                        "res_model": self._name,
                        "res_id": reminder.id,
                        "mimetype": mimetype,
                    }
                )
            attachments = self.env["ir.attachment"].create(vals_list)
            for (reminder, _inv), attachment in zip(chunk, attachments, strict=True):
                result[reminder.id] |= attachment
            # the contents are in the file store now: out of the cache
            (attachments | missing.invoice_pdf_report_id).invalidate_recordset(["raw", "datas"])
        return result

    @api.model
    def _relance_render(self, report_ref, records):
        """``{record id: (content, extension)}``, one wkhtmltopdf call for all records
        (HTML in test mode unless the context forces rendering)."""
        reports = self.env["ir.actions.report"]
        streams, kind = reports._pre_render_qweb_pdf(report_ref, res_ids=records.ids)
        if kind == "pdf":
            return {rid: (data["stream"].getvalue(), "pdf") for rid, data in streams.items()}
        return {rec.id: (reports._render_qweb_html(report_ref, rec.ids)[0], "html") for rec in records}

    def _relance_make_letters(self, post=True):
        """Render the letters of the reminders, a hundred per wkhtmltopdf call, keep each on its
        reminder (and in its chatter unless ``post`` is false: the caller then posts its own
        note)."""
        for chunk in split_every(DOCUMENTS_PER_CALL, self.ids, self.browse):
            contents = self._relance_render("relance_fr.action_report_relance_letter", chunk)
            attachments = self.env["ir.attachment"].create(
                [
                    {
                        "name": "Relance %s %s.%s"
                        % (reminder.partner_id.name, reminder.date.strftime("%Y-%m-%d"), ext),
                        "raw": content,
                        "res_model": reminder._name,
                        "res_id": reminder.id,
                        "mimetype": MIMETYPES[ext],
                    }
                    for reminder in chunk
                    for content, ext in [contents[reminder.id]]
                ]
            )
            for reminder, attachment in zip(chunk, attachments, strict=True):
                reminder.letter_attachment_id = attachment
            if post:
                note = self.env._("Letter ready to print.")
                self.env["mail.message"].sudo().create(
                    [
                        reminder._relance_note_vals(reminder, note, attachments=attachment)
                        for reminder, attachment in zip(chunk, attachments, strict=True)
                    ]
                )
            attachments.invalidate_recordset(["raw", "datas"])

    def _relance_notify_salesperson(self):
        self.ensure_one()
        partner = self.partner_id.sudo()  # an internal note, whoever triggers the reminder
        salesperson = partner.user_id
        note = self.env._(
            "%(level)s sent to %(partner)s for %(amount)s overdue.",
            level=self.level_id.name,
            partner=partner.display_name,
            amount=self._fmt_amount(self.amount_due),
        )
        self._relance_note(partner, note, salesperson.partner_id)
        if salesperson:
            self._relance_activity(
                partner,
                "mail.mail_activity_data_todo",
                self.env._("Customer in dunning: %(level)s", level=self.level_id.name),
                note,
                salesperson,
            )
