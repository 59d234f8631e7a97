import logging
from collections import defaultdict

from psycopg2.extensions import TransactionRollbackError

from odoo import api, fields, models
from odoo.tools import SQL

from .. import compat
from ..tools import relance_rules, relance_story
from .relance_reminder import EMAIL_CHANNELS, LANG, LETTER_CHANNELS, LETTER_ONLY_CHANNELS, WITHOUT_LETTER
from .relance_reminder_worklist import WORKLIST_OF_STATE, print_priority

_logger = logging.getLogger(__name__)

BATCH_SIZE = 1000


class RelanceRun(models.AbstractModel):
    """The daily dunning run: which customers have something due (candidates), locking them,
    preparing one reminder each, deciding channel and problems, then writing everything a
    batch produces in grouped queries (the write queue)."""

    _name = "relance.run"
    _description = "Dunning run"

    @api.model
    def _cron_run(self, batch_size=BATCH_SIZE):
        """Daily run: one batch of customers per call, progress reported to the cron."""
        today = fields.Date.context_today(self)
        Reminder = self.env["relance.reminder"]
        Reminder.search([("state", "=", "draft"), ("date", "<", today)]).unlink()
        Reminder._relance_cancel_settled()
        Reminder._relance_check_letters(today)
        # what customers said: promises kept or broken before the batches decide
        self.env["relance.promise"]._relance_check_promises(today)
        # payment plans: payments counted, notices and late reminders, done or broken
        self.env["relance.plan"]._relance_check_plans(today)
        done = remaining = 0
        for company in self.env["res.company"].search([]):
            budget = batch_size - done
            if budget <= 0:
                remaining += len(self.with_company(company)._candidates(today))
                continue
            processed, left = self.with_company(company)._run_batch(today, budget)
            done += processed
            remaining += left
        compat.cron_progress(self.env, done, remaining)
        return done

    # ------------------------------------------------------------------
    # Candidates and lock
    # ------------------------------------------------------------------
    @api.model
    def _candidates(self, today):
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
    def _lock(self, partner_ids, today=None):
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
    def _run_batch(self, today, limit):
        """Process up to ``limit`` due customers of the current company.
        Returns ``(processed, remaining)``."""
        candidates = self._candidates(today)
        locked = self._lock(candidates[:limit], today)
        partners = self.env["res.partner"].browse(locked)
        prepared = self._prepare(partners, today)
        marks = {partner_id: vals.pop("marks") for partner_id, vals in prepared.items()}
        # no tracking messages for what the run itself creates and decides: the reminder's
        # chatter keeps the email, the letter and the notes
        run = self.with_context(tracking_disable=True)
        # a customer's open error is done again instead of a new one (relance_run_retry.py)
        retried = run._reuse_errors(prepared)
        reminders = retried | run.env["relance.reminder"].create(
            [prepared[p.id] for p in partners if p.id in prepared]
        )
        reminders.partner_id._relance_ensure_access_tokens()
        run._process(reminders, {r.id: marks[r.partner_id.id] for r in reminders})
        return len(locked), max(len(candidates) - limit, 0)

    # ------------------------------------------------------------------
    # Prepare: one reminder per customer
    # ------------------------------------------------------------------
    @api.model
    def _prepare(self, partners, today):
        """Reminder values for each customer with a level due today: ``{partner_id: vals}``.

        One search for all the customers' open invoices; the level decided by the pure rules,
        for the account as one (``escalation = account``, the default) or per invoice.
        ``vals["marks"]`` gives ``[(level_id, invoice ids)]``: the level each invoice reaches
        with this message (the others listed keep theirs)."""
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
        held = self._held_invoices(partners, company, today)
        promised = self._promised_invoices(partners, company) | self._planned_invoices(partners, company)
        promised |= invoices._relance_einvoice_held(today)  # e-invoicing 211: the buyer says it paid
        credits = partners._relance_open_credits(company)
        policies = partners._relance_policies(company)
        result = {}
        for partner in partners:
            policy = policies.get(partner.id)
            if not policy or partner.relance_excluded:
                continue
            level_records = policy.level_ids
            if partner.relance_public_buyer:
                # public buyers are chased through their accounting office: no formal notice
                level_records = level_records.filtered(lambda lv: not lv.needs_validation)
            levels = [(lv.id, lv.days) for lv in level_records]
            # promised or under a payment plan: left to it until it is kept or broken
            open_invoices = by_partner[partner.id].filtered(
                lambda m: m.invoice_date_due and m.amount_residual > 0 and m not in promised
            )
            decide = self._decide_account if policy.escalation == "account" else self._decide_invoices
            decision = decide(policy, levels, open_invoices, held, today)
            if not decision:
                continue
            top, about, listed, marks = decision
            amount_due = listed._relance_claimed_signed()  # e-invoicing 206: the approved amount only
            if amount_due - credits.get(partner.id, 0.0) <= 0:
                continue  # the customer's credits cover it: nothing to ask
            level = self.env["relance.level"].browse(top[0])
            result[partner.id] = {
                "partner_id": partner.id,
                "company_id": company.id,
                "level_id": top[0],
                "channel": level.channel,
                "date": today,
                "invoice_ids": [(6, 0, listed.ids)],
                "level_invoice_ids": [(6, 0, about.ids)],
                "amount_due": amount_due,
                "user_id": company._relance_specialist(partner).id,
                "state": "draft",
                # stored with the record instead of an update after it (the worklist's order)
                "worklist": WORKLIST_OF_STATE["draft"],
                "print_priority": print_priority(level.needs_validation, level.channel),
                # the suspension is said once: later messages say the account remains suspended
                "announces_suspension": level.suspend_partner
                and not partner.relance_suspended
                and not partner.relance_public_buyer,
                "marks": marks,
            }
        return result

    @api.model
    def _decide_account(self, policy, levels, invoices, held, today):
        """The account climbs as one (SPEC §4): ``(level, about, listed, marks)`` or None. The
        account waits while one of its letters waits to be posted or its formal notice to be
        validated."""
        if invoices & held:
            return None
        step = relance_story.account_step(
            levels,
            [
                (
                    inv,
                    relance_rules.days_late(inv.invoice_date_due, today),
                    inv.relance_level_id.days if inv.relance_level_id else None,
                )
                for inv in invoices
            ],
            policy.skip_levels,
        )
        if not step:
            return None
        Move = self.env["account.move"]
        about = Move.union(*step["about"])
        listed = about | Move.union(*step["recent"])
        marks = defaultdict(list)
        for inv, level in step["marks"].items():
            if level:
                marks[level[0]].append(inv.id)
        return step["level"], about, listed, sorted(marks.items())

    @api.model
    def _decide_invoices(self, policy, levels, invoices, held, today):
        """One ladder per invoice (``escalation = invoice``): the message at the highest level
        due among the invoices, about those reaching it, the other overdue invoices listed in
        their own part. ``(level, about, listed, marks)`` or None."""
        overdue = invoices.filtered(lambda m: m.invoice_date_due < today)
        due_levels = {}
        for inv in invoices - held:  # held: its letter waits to be posted, or its notice validated
            reached = inv.relance_level_id.days if inv.relance_level_id else None
            due = relance_rules.due_level(
                levels, relance_rules.days_late(inv.invoice_date_due, today), reached, policy.skip_levels
            )
            if due:
                due_levels[inv] = due
        if not due_levels:
            return None
        top = max(due_levels.values(), key=lambda lv: lv[1])
        about = self.env["account.move"].union(*(inv for inv, lv in due_levels.items() if lv == top))
        # a courtesy notice lists invoices not yet due only; a dunning level lists every
        # overdue invoice, the others in their own part
        listed = about if top[1] <= 0 else about | overdue
        marks = defaultdict(list)
        for inv, lv in due_levels.items():
            if inv in listed:
                marks[lv[0]].append(inv.id)
        return top, about, listed, sorted(marks.items())

    @api.model
    def _held_invoices(self, partners, company, today):
        """Invoices that do not climb further for now: those of a reminder waiting for
        validation, or of a letter-only reminder not yet posted — for the company's print wait
        at most: a letter forgotten longer is flagged and blocks nothing."""
        waited = fields.Date.subtract(today, days=company.relance_print_wait_days)
        waiting = self.env["relance.reminder"].search(
            [
                ("partner_id", "in", partners.ids),
                ("company_id", "=", company.id),
                "|",
                ("state", "=", "to_validate"),
                "&",
                "&",
                ("state", "=", "to_print"),
                ("channel", "in", LETTER_ONLY_CHANNELS),
                ("date", ">=", waited),
            ]
        )
        return waiting.level_invoice_ids | waiting.filtered(lambda r: not r.level_invoice_ids).invoice_ids

    @api.model
    def _promised_invoices(self, partners, company):
        """Invoices under an open promise to pay (one search for the batch): the run leaves
        them out of its messages, and only them."""
        promises = self.env["relance.promise"].search(
            [
                ("partner_id", "in", partners.ids),
                ("company_id", "=", company.id),
                ("state", "=", "open"),
            ]
        )
        return promises.invoice_ids

    @api.model
    def _planned_invoices(self, partners, company):
        """Invoices under an active payment plan (one search for the batch): the plan reminds
        the customer of its instalments, the run leaves them out of its messages."""
        plans = self.env["relance.plan"].search(
            [
                ("partner_id", "in", partners.ids),
                ("company_id", "=", company.id),
                ("state", "=", "active"),
            ]
        )
        return plans.invoice_ids

    # ------------------------------------------------------------------
    # Process: decide, then send or queue, in one pass per batch
    # ------------------------------------------------------------------
    @api.model
    def _process(self, reminders, marks=None):
        """Decide channel and state of draft reminders, then send them or queue them.

        The batch goes in one pass: each customer's writes are queued and made in a few
        grouped queries once all are done. The problems a customer can have (no address for a
        letter, an email template missing or failing) are found first and become ``error``
        reminders. Anything unforeseen rolls the pass back; the batch is then done again one
        customer at a time, each in its own savepoint, so that the failure becomes an
        ``error`` reminder and the other customers' reminders go out.

        ``marks`` gives, per reminder id, ``[(level_id, invoice ids)]``: the level each listed
        invoice reaches (by default, the reminder's level for the invoices it is about)."""
        marks = marks or {}
        try:
            with self.env.cr.savepoint():
                batch = self._batch(reminders, marks)
                self.with_context(relance_batch=batch, relance_queue=batch)._process_each(reminders)
                self._write_queue(batch)
        except TransactionRollbackError:
            raise  # another transaction got in the way: the whole batch again, at the cron's next call
        except Exception:  # noqa: BLE001 - one customer's failure must not stop the run
            _logger.warning("Dunning batch failed: done again one customer at a time", exc_info=True)
            self.with_context(relance_batch=self._batch(reminders, marks))._process_each(
                reminders, isolate=True
            )
        # a new letter supersedes a lower one of the customer still unposted
        reminders.filtered(lambda r: r.state == "to_print")._relance_supersede_letters()

    @api.model
    def _process_each(self, reminders, isolate=False):
        reminders = reminders.with_env(self.env)
        problems = self._decide(reminders)
        if not isolate:
            # the invoice PDFs of the whole batch, rendered together (one customer at a time,
            # each is rendered with its email, where a failure stays the customer's)
            attach = reminders.filtered(
                lambda r: r not in problems
                and r.channel in EMAIL_CHANNELS
                and not r.level_id.needs_validation
                and r.company_id.relance_attach_invoice_pdf
            )
            self.env.context["relance_batch"]["attachments"].update(attach._relance_invoice_attachments())
        for reminder in reminders:
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

    @api.model
    def _decide(self, reminders):
        """Channel (after fallback) and penalties of each reminder; the emails of those that
        go out now, rendered per template for all at once. Returns ``{reminder: problem}``
        for those that cannot go out."""
        problems = {}
        for reminder in reminders:
            values = reminder._relance_values()
            reminder.channel = channel = reminder._relance_channel()[0]
            reminder.penalty_amount = values["penalties"]["total"]
            if channel in LETTER_CHANNELS and not reminder.partner_id._relance_has_address():
                if channel in WITHOUT_LETTER:  # the email goes, the letter part is missing
                    reminder.channel = WITHOUT_LETTER[channel]
                    reminder._relance_note_missing_letter()
                    continue
                problems[reminder] = self.env._(
                    "%(partner)s has no complete postal address (street, zip, city): "
                    "the letter cannot be sent.",
                    partner=reminder.partner_id.display_name,
                )
        emails = reminders.filtered(
            lambda r: r not in problems and r.channel in EMAIL_CHANNELS and not r.level_id.needs_validation
        )
        rendered = self.env.context["relance_batch"]["emails"]
        for template, group in emails.grouped(lambda r: r.level_id.mail_template_id).items():
            problems.update(self._render_emails(group, template, rendered))
        return problems

    @api.model
    def _render_emails(self, reminders, template, rendered):
        """Render ``template`` for the reminders into ``rendered`` (``{id: values}``);
        ``{reminder: problem}`` for those it fails for (all at once, then one by one to tell
        which)."""
        if not template:
            return {
                r: self.env._("Level %(level)s has no email template.", level=r.level_id.name)
                for r in reminders
            }
        template = template.with_context(lang=LANG, relance_qweb_cache={})  # body compiled once
        render_fields = ("subject", "body_html", "email_from", "partner_to")
        try:
            rendered.update(template._generate_template(reminders.ids, render_fields))
            return {}
        except Exception:  # noqa: BLE001 - a broken template is the reminder's error, below
            problems = {}
            for reminder in reminders:
                try:
                    rendered.update(template._generate_template(reminder.ids, render_fields))
                except Exception as exc:  # noqa: BLE001
                    problems[reminder] = str(exc)
            return problems

    # ------------------------------------------------------------------
    # What a batch shares, and what it writes at the end
    # ------------------------------------------------------------------
    @api.model
    def _batch(self, reminders, marks=None):
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
            "broken": defaultdict(list),
            "broken_plans": defaultdict(list),
            "credits": defaultdict(lambda: self.env["account.move.line"]),
            "reminders": reminders,
            "due_marks": marks or {},
            **self._new_queue(),
        }
        Reminder = self.env["relance.reminder"]
        previous_domain = Reminder._relance_previous_domain(reminders.partner_id, reminders.company_id)
        for reminder in Reminder.search(previous_domain, order="date, id"):
            batch["previous"][reminder.partner_id.id].append(reminder)
        broken_domain = Reminder._relance_broken_domain(reminders.partner_id, reminders.company_id)
        for promise in self.env["relance.promise"].search(broken_domain):
            batch["broken"][promise.partner_id.id].append(promise)
        for plan in self.env["relance.plan"].search(broken_domain):
            batch["broken_plans"][plan.partner_id.id].append(plan)
        for company in reminders.company_id:
            partners = reminders.filtered(lambda r, c=company: r.company_id == c).partner_id
            for line in self.env["account.move.line"].search(partners._relance_credit_domain(company)):
                batch["credits"][line.partner_id.commercial_partner_id.id] |= line
        return batch

    @api.model
    def _new_queue(self):
        return {
            "marks": [],
            "mails": [],
            "notes": [],
            "activities": [],
            "letters": self.env["relance.reminder"],
        }

    @api.model
    def _write_queue(self, queue):
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
