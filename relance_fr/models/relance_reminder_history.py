from odoo import api, models

from ..tools import relance_lang, relance_promise
from .relance_reminder import EMAIL_CHANNELS, LETTER_CHANNELS
from .relance_reminder_delivery import PRESENTED


class RelanceReminder(models.Model):
    """What the customer was told before, as a reminder recalls it: the reminders it really
    received and how, the promises and plans it broke since, the invoices paid since."""

    _inherit = "relance.reminder"  # pylint: disable=consider-merging-classes-inherited

    def _relance_received(self):
        """Earlier reminders of this customer that it really received (an email that went
        out, a letter posted), oldest first."""
        self.ensure_one()
        batch = self.env.context.get("relance_batch")
        if batch:
            previous = batch["previous"][self.partner_id.id]
        else:
            previous = self.search(
                self._relance_previous_domain(self.partner_id, self.company_id), order="date, id"
            )
        return [r for r in previous if r.id != self.id and r.date <= self._relance_day()]

    def _relance_broken_promises(self):
        """The promises to pay the customer broke since the last reminder it received, about
        invoices this reminder lists: ``[{'date', 'amount'}]``, oldest first."""
        self.ensure_one()
        batch = self.env.context.get("relance_batch")
        if batch and "broken" in batch:
            broken = batch["broken"][self.partner_id.id]
        else:
            broken = self.env["relance.promise"].search(
                self._relance_broken_domain(self.partner_id, self.company_id)
            )
        broken = [p for p in broken if p.invoice_ids & self.invoice_ids]
        received = self._relance_received()
        last = max((r.date for r in received), default=None)
        keys = relance_promise.broken_to_recall(
            [(p.date, p.date_closed, p.id) for p in broken if p.date_closed], last, self.date
        )
        promises = self.env["relance.promise"].browse(keys)
        return [
            {
                "date": self._fmt_date(p.date),
                "amount": self._fmt_amount(p.amount, p.currency_id),
                "declared_paid": p.declared_paid,
            }
            for p in promises
        ]

    def _relance_broken_plans(self):
        """The payment plans the customer did not follow, broken since the last reminder it
        received, about invoices this reminder lists: ``[{'date', 'missed', 'amount'}]``."""
        self.ensure_one()
        batch = self.env.context.get("relance_batch")
        if batch and "broken_plans" in batch:
            broken = batch["broken_plans"][self.partner_id.id]
        else:
            broken = self.env["relance.plan"].search(
                self._relance_broken_domain(self.partner_id, self.company_id)
            )
        broken = [p for p in broken if p.invoice_ids & self.invoice_ids and p.date_closed]
        last = max((r.date for r in self._relance_received()), default=None)
        keys = relance_promise.broken_to_recall(
            [(p.date_confirmed, p.date_closed, p.id) for p in broken], last, self.date
        )
        result = []
        for plan in self.env["relance.plan"].browse(keys):
            missed = plan.line_ids.filtered(lambda ln: ln.state == "late").sorted("date")[:1]
            result.append(
                {
                    "date": self._fmt_date(plan.date_confirmed),
                    "missed": self._fmt_date(missed.date),
                    "amount": self._fmt_amount(missed.amount - missed.amount_paid, plan.currency_id),
                }
            )
        return result

    @api.model
    def _relance_broken_domain(self, partners, companies):
        return [
            ("partner_id", "in", partners.ids),
            ("company_id", "in", companies.ids),
            ("state", "=", "broken"),
        ]

    def _relance_previous(self):
        """The earlier reminders the message recalls: ``[{'level', 'date'}]``, oldest first —
        those about its invoices (not another debt of the customer), courtesy notices left out
        (they reminded nobody of a debt)."""
        return [
            {"level": r._relance_level_name(), "date": self._fmt_date(r.date), "text": r._relance_step_text()}
            for r in self._relance_received()
            if r.level_id.days > 0 and r.invoice_ids & self.invoice_ids
        ]

    def _relance_level_name(self):
        """The level's name in the customer's language (``Relance 2``, ``Reminder 2``)."""
        lang = self._relance_lang()
        if not relance_lang.is_english(lang):
            return self.level_id.name
        return relance_lang.level_name(self.level_id.name, self._relance_template_key(), lang)

    def _relance_template_key(self):
        """The kind of message of the level: its template's xml id without
        ``relance_fr.mail_template_`` (``relance_2``), '' for a template of the user's."""
        template = self.level_id.mail_template_id
        key = template.get_external_id().get(template.id, "") if template else ""
        return key.removeprefix("relance_fr.mail_template_")

    def _relance_step_text(self):
        """How the customer received this reminder, each part with its medium and date:
        "Relance 2 : par courriel le 12/11/2026 et par lettre recommandée n° … postée le …"."""
        self.ensure_one()
        words = relance_lang.words(self._relance_lang())
        parts = []
        if self.channel == "phone" and self.state == "sent":
            parts.append(words["by_phone"] % self._fmt_date(self.date))
        if self.channel in EMAIL_CHANNELS and (self.mail_state == "sent" or self.state == "sent"):
            parts.append(words["by_email"] % self._fmt_date(self.date))
        if self.channel in LETTER_CHANNELS and self.letter_posted_date:
            if self.is_registered:
                text = words["by_registered"] % {
                    "number": self.tracking_number,
                    "date": self._fmt_date(self.letter_posted_date),
                }
                if self.delivery_date and self.delivery_status in PRESENTED:
                    text += words["presented"] % self._fmt_date(self.delivery_date)
            else:
                text = words["by_post"] % self._fmt_date(self.letter_posted_date)
            parts.append(text)
        how = words["and"].join(parts) or words["on"] % self._fmt_date(self.date)
        return words["step"] % {"level": self._relance_level_name(), "how": how}

    def _relance_paid_since(self):
        """The invoices the last message the customer received listed, paid since: the next
        message thanks for them before asking for the rest."""
        self.ensure_one()
        received = [r for r in self._relance_received() if r.level_id.days > 0]
        if not received or self.level_id.days <= 0:
            return []
        listed = received[-1].invoice_ids - self.invoice_ids
        still = listed.filtered(lambda m: m.payment_state in ("not_paid", "partial"))
        return (listed - still).filtered(lambda m: m.payment_state in ("paid", "in_payment")).mapped("name")

    def _relance_stages(self):
        """``{invoice id: 'Relance 1 du 15/04/2026'}``: the last reminder each invoice received."""
        stages = {}
        for reminder in self._relance_received():
            for inv in reminder.level_invoice_ids or reminder.invoice_ids:
                stages[inv.id] = relance_lang.words(self._relance_lang())["stage"] % {
                    "level": reminder._relance_level_name(),
                    "date": self._fmt_date(reminder.date),
                }
        return stages

    @api.model
    def _relance_previous_domain(self, partners, companies):
        """Reminders the customer received: sent, or on their way with one part received (the
        SMTP server accepted the email, or the letter was posted)."""
        return [
            ("partner_id", "in", partners.ids),
            ("company_id", "in", companies.ids),
            ("state", "not in", ("draft", "error", "cancel")),
            "|",
            "|",
            ("state", "=", "sent"),
            ("mail_state", "=", "sent"),
            ("letter_posted_date", "!=", False),
        ]
