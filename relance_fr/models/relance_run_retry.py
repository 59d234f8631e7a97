from odoo import api, models
from odoo.exceptions import UserError

# what a reminder done again forgets of its failed attempt
RESET = {
    "state": "draft",
    "error_message": False,
    "mail_state": False,
    "penalty_amount": 0.0,
    "letter_attachment_id": False,
    "letter_posted_date": False,
}


class RelanceRun(models.AbstractModel):
    """Reminders in error done again: by the next run (one open error per customer and level,
    never a new one a day) and by the *Retry* button once the cause is fixed."""

    _inherit = "relance.run"

    @api.model
    def _reuse_errors(self, prepared):
        """The open ``error`` reminders of the prepared customers, made ready again: the one of
        the level due gets today's values (taken out of ``prepared``); the customer's other open
        errors, overtaken by this new attempt, are cancelled. Returns the reminders re-used."""
        Reminder = self.env["relance.reminder"].with_context(tracking_disable=True, relance_rebuild=True)
        errors = Reminder.search(
            [
                ("partner_id", "in", list(prepared)),
                ("company_id", "=", self.env.company.id),
                ("state", "=", "error"),
            ],
            order="date desc, id desc",
        )
        reused = Reminder
        for partner_id, group in errors.grouped(lambda r: r.partner_id.id).items():
            vals = prepared[partner_id]
            same = group.filtered(lambda r, v=vals: r.level_id.id == v["level_id"])[:1]
            overtaken = group - same
            if same:
                previous = same.error_message
                same.write({**RESET, **prepared.pop(partner_id)})
                same._relance_note(
                    same, self.env._("Done again after the error: %(error)s", error=previous or "")
                )
                reused |= same
            if overtaken:
                overtaken.write({"state": "cancel"})
                for reminder in overtaken:
                    reminder._relance_note(
                        reminder,
                        self.env._(
                            "Cancelled: the customer's reminder of %(date)s (%(level)s) takes its place.",
                            date=reminder._fmt_date(vals["date"]),
                            level=self.env["relance.level"].browse(vals["level_id"]).name,
                        ),
                    )
        return reused

    @api.model
    def _retry(self, reminders, today):
        """*Retry*: the current company's error reminders done again today. One that never went
        out is prepared again (what is due today; cancelled when nothing is); one whose email was
        refused or bounced is sent again as it is."""
        partners = reminders.partner_id
        if len(self._lock(partners.ids, today)) < len(partners):
            raise UserError(self.env._("The daily run is processing these customers: try again in a minute."))
        undelivered = reminders.filtered(lambda r: not r.mail_state)
        prepared = self._prepare(undelivered.partner_id, today)
        nothing = undelivered.filtered(lambda r: r.partner_id.id not in prepared)
        for reminder in nothing:
            reminder.write({"state": "cancel"})
            reminder._relance_note(reminder, self.env._("Cancelled on retry: nothing is due any more."))
        marks = {}
        for reminder in undelivered - nothing:
            vals = prepared[reminder.partner_id.id]
            marks[reminder.id] = vals.pop("marks")
            reminder.with_context(relance_rebuild=True).write({**RESET, **vals})
        again = reminders - undelivered
        again.with_context(relance_rebuild=True).write({**RESET, "date": today})
        todo = reminders - nothing
        todo.partner_id._relance_ensure_access_tokens()
        self._process(todo, marks)
