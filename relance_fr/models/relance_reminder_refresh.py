from odoo import api, fields, models
from odoo.exceptions import UserError

from .relance_reminder import EMAIL_CHANNELS, LETTER_CHANNELS, LETTER_ONLY_CHANNELS, WITHOUT_LETTER

# what a reminder says: written only by the run, the rebuild on the day it leaves and the
# documented actions (cancel, supersede, drop an invoice with a note), never by hand once it
# left the draft; frozen for good once it went out (the history is evidence)
CONTENT_FIELDS = {
    "partner_id",
    "company_id",
    "level_id",
    "channel",
    "date",
    "invoice_ids",
    "level_invoice_ids",
    "amount_due",
    "penalty_amount",
    "letter_attachment_id",
    "letter_date",
    "announces_suspension",
    "user_id",
}
WAITING_STATES = ("to_validate", "to_print")


class RelanceReminder(models.Model):
    """A reminder is true on the day it leaves: one waiting for validation or printing is
    rebuilt then (date, invoices still open, amounts, penalties, letter), cancelled when
    nothing is left to ask, and frozen once sent."""

    _inherit = "relance.reminder"  # pylint: disable=consider-merging-classes-inherited

    def write(self, vals):
        # EXTENDS mail.thread: nobody edits what a reminder says by hand, whatever their rights
        content = CONTENT_FIELDS & vals.keys()
        if content and not self.env.context.get("relance_rebuild"):
            names = ", ".join(sorted(self._fields[f].string for f in content))
            sent = self.filtered(lambda r: r.state == "sent")
            if sent:
                raise UserError(
                    self.env._(
                        "%(reminders)s went out: what it said (%(fields)s) cannot be changed. "
                        "The history is kept as it was sent.",
                        reminders=", ".join(sent.mapped("display_name")),
                        fields=names,
                    )
                )
            pending = self.filtered(lambda r: r.state != "draft")
            if pending:
                raise UserError(
                    self.env._(
                        "%(reminders)s: what a reminder says (%(fields)s) is written by the dunning run "
                        "and brought up to date on the day it leaves, never by hand. Cancel it if it "
                        "must not go; the next run prepares what is due.",
                        reminders=", ".join(pending.mapped("display_name")),
                        fields=names,
                    )
                )
        return super().write(vals)

    def _relance_answered(self):
        """The invoices of these reminders the customer answered for since, left out until the
        answer is kept or broken: ``{"promise": under an open promise to pay, "declared": declared
        paid by the customer, "plan": under an active payment plan, "payment_sent": the buyer's
        e-invoicing platform said the payment was sent (211, within the company's days)}`` (two
        searches, none for the last)."""
        invoices = self.invoice_ids.ids
        promises = self.env["relance.promise"].search(
            [("invoice_ids", "in", invoices), ("state", "=", "open")]
        )
        return {
            "promise": promises.filtered(lambda p: not p.declared_paid).invoice_ids,
            "declared": promises.filtered("declared_paid").invoice_ids,
            "payment_sent": self.invoice_ids._relance_einvoice_held(fields.Date.context_today(self)),
            "plan": self.env["relance.plan"]
            .search([("invoice_ids", "in", invoices), ("state", "=", "active")])
            .invoice_ids,
        }

    def _relance_still_open(self, answered):
        """The reminder's invoices still to be asked for today (``answered``: see
        ``_relance_answered``)."""
        self.ensure_one()
        held = answered["promise"] | answered["declared"] | answered["plan"] | answered["payment_sent"]
        return self.invoice_ids.filtered(
            lambda m: m.state == "posted"
            and m.payment_state in ("not_paid", "partial")
            and m.amount_residual > 0
            and not m.relance_excluded
            and m not in held
        )

    def _relance_answered_notes(self, answered, listed):
        """What became of the invoices of this reminder no longer to ask for, one sentence each:
        what the customer answered (promise, declared payment, plan), a dispute or another
        exclusion, a payment."""
        self.ensure_one()
        since = self.env._(", no longer listed") if listed else ""
        sentences = {
            "promise": self.env._("%(invoices)s under a promise to pay since%(listed)s."),
            "declared": self.env._("%(invoices)s declared paid by the customer since%(listed)s."),
            "plan": self.env._("%(invoices)s under a payment plan since%(listed)s."),
            "payment_sent": self.env._(
                "%(invoices)s: the buyer's platform says the payment was sent%(listed)s."
            ),
        }
        notes, seen = [], self.env["account.move"]
        for kind, sentence in sentences.items():
            invoices = (self.invoice_ids & answered[kind]) - seen
            seen |= invoices
            if invoices:
                notes.append(sentence % {"invoices": ", ".join(invoices.mapped("name")), "listed": since})
        for reason, invoices in (
            (self.invoice_ids - seen)
            .filtered("relance_excluded")
            .grouped(lambda m: m.relance_excluded_reason or "")
            .items()
        ):
            notes.append(
                self.env._(
                    "%(invoices)s out of dunning since (%(reason)s)%(listed)s.",
                    invoices=", ".join(invoices.mapped("name")),
                    reason=reason or self.env._("excluded"),
                    listed=since,
                )
            )
        return notes

    def _relance_email_left(self):
        """Its email part went (or is on its way) as it was: the letter part alone is rebuilt."""
        self.ensure_one()
        return self.channel in EMAIL_CHANNELS and self.mail_state in ("queued", "sent")

    def _relance_rebuild(self):
        """Rebuild a waiting reminder on the day it leaves (validated, printed, called): today's
        date (its final delay counts from it; a letter whose email left keeps the email's date
        and takes today's as the letter's), the invoices still open and not answered for since
        (promise, declared payment, plan, dispute), amounts and penalties, with a note.
        Cancelled with a note when nothing is left to ask (a letter whose email left: its letter
        part is dropped). Returns False when nothing is left to send."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        answered = self._relance_answered()
        still = self._relance_still_open(answered)
        credits = self.partner_id._relance_open_credits(self.company_id).get(self.partner_id.id, 0.0)
        amount = still._relance_claimed_signed()  # e-invoicing 206: the approved amount only
        email_left = self._relance_email_left()
        if not still or amount - credits <= 0:
            if email_left:
                self._relance_drop_letter(answered)
            else:
                self._relance_settled_cancel(answered)
            return False
        gone = self.invoice_ids - still
        about = (self.level_invoice_ids & still) or still
        rebuild = self.with_context(relance_rebuild=True)
        day_field = "letter_date" if email_left else "date"
        if gone or self[day_field] != today:
            notes = self._relance_answered_notes(answered, listed=True)  # before its invoices change
            paid = (
                gone
                - answered["promise"]
                - answered["declared"]
                - answered["plan"]
                - answered["payment_sent"]
            )
            paid = paid.filtered(lambda m: not m.relance_excluded)
            if paid:
                notes.append(
                    self.env._(
                        "%(invoices)s paid meanwhile, no longer listed.",
                        invoices=", ".join(paid.mapped("name")),
                    )
                )
            rebuild.write(
                {
                    day_field: today,
                    "invoice_ids": [(6, 0, still.ids)],
                    "level_invoice_ids": [(6, 0, about.ids)],
                    "amount_due": amount,
                }
            )
            rebuild.penalty_amount = self._relance_values()["penalties"]["total"]
            what = (
                self.env._("Letter brought up to date on %(date)s (the email went as it was).")
                if email_left
                else self.env._("Brought up to date on %(date)s.")
            )
            self.message_post(body=" ".join([what % {"date": self._fmt_date(today)}, *notes]))
        return True

    def _relance_drop_letter(self, answered):
        """Nothing left to ask by the letter of a reminder whose email went: the email stands alone."""
        self.ensure_one()
        notes = self._relance_answered_notes(answered, listed=False)
        body = " ".join([self.env._("Letter not posted: nothing is left to ask."), *notes])
        self.message_post(body=body)
        self.with_context(relance_rebuild=True).channel = WITHOUT_LETTER[self.channel]
        self._relance_settle()

    def _relance_settled_cancel(self, answered):
        self.activity_unlink(["mail.mail_activity_data_todo"])
        for reminder in self:
            notes = reminder._relance_answered_notes(answered, listed=False)
            if notes:
                body = " ".join([self.env._("Cancelled: nothing is left to ask."), *notes])
            else:
                body = self.env._("Cancelled: its invoices were paid meanwhile, nothing is left to ask.")
            reminder.message_post(body=body)
        self.write({"state": "cancel"})

    @api.model
    def _relance_cancel_settled(self):
        """The run's first step: waiting reminders whose invoices are all settled, or promised
        or under a payment plan since, are cancelled without waiting for anyone to open them
        (a few searches; the check per reminder is in memory)."""
        waiting = self.search([("state", "in", WAITING_STATES)])
        answered = waiting._relance_answered()
        settled = waiting.filtered(lambda r: not r._relance_still_open(answered))
        for reminder in settled.filtered(lambda r: r._relance_email_left()):
            reminder._relance_drop_letter(answered)
        cancel = settled.filtered(lambda r: r.state in WAITING_STATES)
        if cancel:
            cancel._relance_settled_cancel(answered)
        return settled

    @api.model
    def _relance_check_letters(self, today):
        """The run's look at the letters waiting to be posted: a courtesy notice still waiting on
        its invoices' due date is cancelled (the dunning takes over); a letter waiting longer
        than the company's print wait is flagged to the AR specialist once, and no longer holds
        the account's dunning."""
        waiting = self.search([("state", "=", "to_print")])
        late_courtesy = waiting.filtered(lambda r: r._relance_courtesy_past_due(today))
        for reminder in late_courtesy:
            reminder.message_post(
                body=self.env._(
                    "Cancelled: this courtesy notice was not posted before its invoices' due date; "
                    "the dunning takes over."
                )
            )
        late_courtesy._relance_cancel_mails()
        late_courtesy.write({"state": "cancel"})
        late = (waiting - late_courtesy).filtered(
            lambda r: not r.print_late_notified
            and (today - r.date).days > r.company_id.relance_print_wait_days
        )
        for reminder in late:
            reminder.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=today,
                summary=self.env._("Letter waiting to be posted"),
                note=self.env._(
                    "The letter of %(date)s to %(partner)s waits to be printed and posted for %(days)s "
                    "days: post it or cancel it. The dunning of this customer no longer waits for it.",
                    date=reminder._fmt_date(reminder.date),
                    partner=reminder.partner_id.display_name,
                    days=(today - reminder.date).days,
                ),
                user_id=reminder._relance_specialist().id,
            )
        late.print_late_notified = True
        return late_courtesy | late

    def _relance_refresh_letters(self):
        """Letters waiting to be printed are rebuilt on the day they are printed (dated that
        day, without what was paid or answered since), and made again when they changed."""
        remade = self.browse()
        for reminder in self.filtered(lambda r: r.state == "to_print" and r.channel in LETTER_CHANNELS):
            before = (reminder.date, reminder.letter_date, reminder.invoice_ids)
            if (
                reminder._relance_rebuild()
                and (
                    reminder.date,
                    reminder.letter_date,
                    reminder.invoice_ids,
                )
                != before
            ):
                remade |= reminder
        remade.with_context(relance_rebuild=True)._relance_make_letters(post=False)
        return self.filtered(lambda r: r.state != "cancel")

    def _relance_supersede_letters(self):
        """A new letter for a customer supersedes an older one of the same or a lower level still
        unposted: that one is not posted (cancelled, or its email part stands alone), with a
        note; the print queue holds one letter per customer."""
        letters = self.filtered(lambda r: r.channel in LETTER_CHANNELS)
        if not letters:
            return
        older = self.search(
            [
                ("partner_id", "in", letters.partner_id.ids),
                ("state", "=", "to_print"),
                ("id", "not in", letters.ids),
            ]
        )
        for old in older:
            new = letters.filtered(
                lambda r, o=old: r.partner_id == o.partner_id and r.company_id == o.company_id
            )
            if not new or new[0].level_id.days < old.level_id.days:
                continue  # a friendlier letter never takes the place of a firmer one
            old.message_post(
                body=self.env._(
                    "Letter not posted: superseded by %(reminder)s of %(date)s.",
                    reminder=new[0].display_name,
                    date=new[0]._fmt_date(new[0].date),
                )
            )
            if old.channel in LETTER_ONLY_CHANNELS:
                old.state = "cancel"
            else:  # its email part stands alone
                old.with_context(relance_rebuild=True).channel = WITHOUT_LETTER[old.channel]
                old._relance_settle()
