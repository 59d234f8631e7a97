from odoo import api, fields, models
from odoo.exceptions import UserError

from .relance_reminder import LETTER_CHANNELS, LETTER_ONLY_CHANNELS, WITHOUT_LETTER

# what a reminder said: frozen once it went out (the history is evidence)
FROZEN_FIELDS = {
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
}
WAITING_STATES = ("to_validate", "to_print")


class RelanceReminder(models.Model):
    """A reminder is true on the day it leaves: one waiting for validation or printing is
    rebuilt then (date, invoices still open, amounts, penalties, letter), cancelled when
    nothing is left to ask, and frozen once sent."""

    _inherit = "relance.reminder"  # pylint: disable=consider-merging-classes-inherited

    def write(self, vals):
        # EXTENDS mail.thread: nobody edits what a sent reminder said
        frozen = FROZEN_FIELDS & vals.keys()
        if frozen and not self.env.context.get("relance_rebuild"):
            sent = self.filtered(lambda r: r.state == "sent")
            if sent:
                raise UserError(
                    self.env._(
                        "%(reminders)s went out: what it said (%(fields)s) cannot be changed. "
                        "The history is kept as it was sent.",
                        reminders=", ".join(sent.mapped("display_name")),
                        fields=", ".join(sorted(self._fields[f].string for f in frozen)),
                    )
                )
        return super().write(vals)

    def _relance_answered(self):
        """The invoices of these reminders the customer answered for since, left out until the
        answer is kept or broken: ``{"promise": under an open promise to pay, "plan": under an
        active payment plan, "payment_sent": the buyer's e-invoicing platform said the payment
        was sent (211, within the company's days)}`` (one search each, none for the last)."""
        invoices = self.invoice_ids.ids
        return {
            "payment_sent": self.invoice_ids._relance_einvoice_held(fields.Date.context_today(self)),
            "promise": self.env["relance.promise"]
            .search([("invoice_ids", "in", invoices), ("state", "=", "open")])
            .invoice_ids,
            "plan": self.env["relance.plan"]
            .search([("invoice_ids", "in", invoices), ("state", "=", "active")])
            .invoice_ids,
        }

    def _relance_still_open(self, answered):
        """The reminder's invoices still to be asked for today (``answered``: see
        ``_relance_answered``)."""
        self.ensure_one()
        held = answered["promise"] | answered["plan"] | answered["payment_sent"]
        return self.invoice_ids.filtered(
            lambda m: m.state == "posted"
            and m.payment_state in ("not_paid", "partial")
            and m.amount_residual > 0
            and not m.relance_excluded
            and m not in held
        )

    def _relance_answered_notes(self, answered, listed):
        """What the customer answered for the invoices of this reminder, one sentence each."""
        self.ensure_one()
        sentences = {
            "promise": (
                self.env._("%(invoices)s under a promise to pay since, no longer listed.")
                if listed
                else self.env._("%(invoices)s under a promise to pay.")
            ),
            "plan": (
                self.env._("%(invoices)s under a payment plan since, no longer listed.")
                if listed
                else self.env._("%(invoices)s under a payment plan.")
            ),
            "payment_sent": (
                self.env._("%(invoices)s: the buyer's platform says the payment was sent, no longer listed.")
                if listed
                else self.env._("%(invoices)s: the buyer's platform says the payment was sent.")
            ),
        }
        notes = []
        for kind, sentence in sentences.items():
            invoices = self.invoice_ids & answered[kind]
            if invoices:
                notes.append(sentence % {"invoices": ", ".join(invoices.mapped("name"))})
        return notes

    def _relance_rebuild(self):
        """Rebuild a waiting reminder on the day it leaves: today's date (its final delay counts
        from it), the invoices still open and not answered for since (promise, plan), amounts
        and penalties. Cancelled with a note when nothing is left to ask. Returns False when
        cancelled."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        answered = self._relance_answered()
        still = self._relance_still_open(answered)
        credits = self.partner_id._relance_open_credits(self.company_id).get(self.partner_id.id, 0.0)
        amount = still._relance_claimed_signed()  # e-invoicing 206: the approved amount only
        if not still or amount - credits <= 0:
            self._relance_settled_cancel(answered)
            return False
        held = self.invoice_ids & (answered["promise"] | answered["plan"] | answered["payment_sent"])
        paid = self.invoice_ids - still - held
        about = (self.level_invoice_ids & still) or still
        rebuild = self.with_context(relance_rebuild=True)
        if paid or held or self.date != today:
            answers = self._relance_answered_notes(answered, listed=True)  # before its invoices change
            rebuild.write(
                {
                    "date": today,
                    "invoice_ids": [(6, 0, still.ids)],
                    "level_invoice_ids": [(6, 0, about.ids)],
                    "amount_due": amount,
                }
            )
            rebuild.penalty_amount = self._relance_values()["penalties"]["total"]
            notes = [self.env._("Brought up to date on %(date)s.", date=self._fmt_date(today))]
            if paid:
                notes.append(
                    self.env._(
                        "%(invoices)s paid meanwhile, no longer listed.",
                        invoices=", ".join(paid.mapped("name")),
                    )
                )
            notes += answers
            self.message_post(body=" ".join(notes))
        return True

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
        if settled:
            settled._relance_settled_cancel(answered)
        return settled

    def _relance_refresh_letters(self):
        """Letter-only reminders waiting to be printed are rebuilt on the day they are printed,
        and their letter made again when it changed."""
        remade = self.browse()
        for reminder in self.filtered(lambda r: r.state == "to_print" and r.channel in LETTER_ONLY_CHANNELS):
            before = reminder.date
            if reminder._relance_rebuild() and reminder.date != before:
                remade |= reminder
        remade.with_context(relance_rebuild=True)._relance_make_letters(post=False)
        return self.filtered(lambda r: r.state != "cancel")

    def _relance_supersede_letters(self):
        """A new letter for a customer supersedes a lower one still unposted: that one is not
        posted (cancelled, or its email part stands alone), with a note."""
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
            if not new or new[0].level_id.days <= old.level_id.days:
                continue
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
                old.channel = WITHOUT_LETTER[old.channel]
                old._relance_settle()
