from markupsafe import Markup

from odoo import models

from .. import compat
from ..tools import relance_rules


# split by responsibility (files under ~500 lines): calls and tasks that don't pile up
class RelanceReminder(models.Model):
    """A phone reminder is one call to make per customer (a newer one replaces the older), a
    customer nobody can call gets the email instead, and the salesperson keeps one task per
    customer in dunning, brought up to date rather than added again."""

    _inherit = "relance.reminder"  # pylint: disable=consider-merging-classes-inherited

    def _relance_has_phone(self):
        """Someone to call: a phone or mobile number on the customer or its invoicing contact."""
        self.ensure_one()
        people = self.partner_id | self._relance_values()["contact"]
        return any(person.phone or compat.partner_mobile(person) for person in people)

    def _relance_call_script(self):
        """What to say on the call: before the due date, a courtesy call (is the invoice received,
        is it in the payment run?) that asks for no payment date; after it, the overdue invoices
        and a payment date to obtain."""
        self.ensure_one()
        values = self._relance_values()
        overdue = self.invoice_ids.filtered(lambda m: m.invoice_date_due < self.date)
        coming = self.invoice_ids - overdue
        if not overdue:
            return self.env._(
                "%(level)s: courtesy call before the due date of %(names)s (%(amount)s). Check that "
                "the invoices were received and nothing stands in the way of their payment; do not ask "
                "for a payment date, they are not due yet.",
                level=self.level_id.name,
                names=", ".join(f"{m.name} ({self._fmt_date(m.invoice_date_due)})" for m in coming) or "-",
                amount=values["net_due"],
            )
        script = self.env._(
            "%(level)s: %(count)s invoice(s) overdue, %(amount)s to ask for (%(names)s). "
            "Ask for a payment date; remind them of the bank details %(iban)s.",
            level=self.level_id.name,
            count=len(overdue),
            amount=values["net_due"],
            names=", ".join(overdue.mapped("name")) or "-",
            iban=values["iban"] or "-",
        )
        if coming:
            script += " " + self.env._(
                "Not yet due, to mention only: %(names)s.", names=", ".join(coming.mapped("name"))
            )
        return script

    def _relance_supersede_calls(self):
        """One open call per customer: the calls of the customer still to make are replaced by
        this one (cancelled with a note, their activity removed)."""
        self.ensure_one()
        older = self.search(
            [
                ("partner_id", "=", self.partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("state", "=", "to_call"),
                ("id", "!=", self.id),
            ]
        )
        if not older:
            return
        older.activity_unlink(["mail.mail_activity_data_call"])
        older.with_context(relance_rebuild=True).write({"state": "cancel"})
        for call in older:
            self._relance_note(
                call,
                self.env._(
                    "Call not made: replaced by the call of %(reminder)s of %(date)s.",
                    reminder=self.display_name,
                    date=self._fmt_date(self.date),
                ),
            )

    def _relance_note_no_phone(self):
        """A call level for a customer without any phone number went another way: say so."""
        self.ensure_one()
        wanted = relance_rules.effective_channel(
            self.level_id.channel, self.partner_id.relance_channel, True
        )[0]
        if wanted != "phone" or self.channel == "phone":
            return
        labels = dict(self._fields["channel"]._description_selection(self.env))
        self._relance_note(
            self,
            self.env._(
                "%(partner)s has no phone number: instead of a call, this reminder goes by %(channel)s.",
                partner=self.partner_id.display_name,
                channel=labels[self.channel].lower(),
            ),
        )

    def _relance_salesperson_task(self, partner, salesperson, note):
        """The salesperson's one open "customer in dunning" task for ``partner``: brought up to
        date (level, note, date) when it exists, added otherwise."""
        self.ensure_one()
        summary = self.env._("Customer in dunning: %(level)s", level=self.level_id.name)
        task_type = self.env.ref("relance_fr.mail_activity_type_dunning")
        task = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", partner._name),
                    ("res_id", "=", partner.id),
                    ("user_id", "=", salesperson.id),
                    ("activity_type_id", "=", task_type.id),
                ],
                limit=1,
            )
        )
        if task:
            task.write({"summary": summary, "note": Markup("<p>%s</p>") % note, "date_deadline": self.date})
            return
        self._relance_activity(partner, "relance_fr.mail_activity_type_dunning", summary, note, salesperson)
