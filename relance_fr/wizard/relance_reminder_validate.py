import base64

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.pdf import merge_pdf

from ..models.relance_reminder import LETTER_CHANNELS


class RelanceReminderValidate(models.TransientModel):
    """Validating a formal notice on what will leave: opening it builds each notice for today
    (its date, final delay, the invoices still open) and its letter; the manager reads that
    letter, and confirming sends that very letter — refused if anything changed since."""

    _name = "relance.reminder.validate"
    _description = "Validate formal notices"

    reminder_ids = fields.Many2many("relance.reminder", string="Formal notices", readonly=True)
    preview = fields.Binary("Letter as it will leave", readonly=True, attachment=False)
    preview_name = fields.Char(readonly=True)
    letter_html = fields.Html("Letter as it will leave (HTML)", readonly=True, sanitize=False)
    email_preview = fields.Html("Email as it will leave", readonly=True, sanitize=False)
    shown = fields.Char(readonly=True, help="What was shown, to send nothing else.")
    cancelled = fields.Text("No longer due", readonly=True)

    @api.model
    def _action_open(self, reminders):
        cancelled = []
        for reminder in reminders:
            if not reminder._relance_rebuild():
                cancelled.append(reminder.display_name)
        reminders = reminders.filtered(lambda r: r.state == "to_validate")
        letters = reminders.filtered(lambda r: r.channel in LETTER_CHANNELS)
        letters.with_context(relance_rebuild=True)._relance_make_letters(post=False)
        wizard = self.create(
            {
                "reminder_ids": [(6, 0, reminders.ids)],
                "shown": self._signature(reminders),
                "cancelled": "\n".join(
                    self.env._("%(reminder)s: nothing is left to ask, cancelled.", reminder=name)
                    for name in cancelled
                ),
                **self._preview(letters),
                "email_preview": self._email_preview(reminders - letters),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Validate formal notices"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    @api.model
    def _preview(self, letters):
        attachments = letters.letter_attachment_id
        if not attachments:
            return {}
        if any(a.mimetype != "application/pdf" for a in attachments):
            # the HTML wkhtmltopdf would print (Odoo's test mode renders no PDF)
            return {"letter_html": b"".join(a.raw for a in attachments).decode()}
        if len(attachments) == 1:
            content, name = attachments.raw, attachments.name
        else:
            content, name = merge_pdf([a.raw for a in attachments]), self.env._("Formal notices.pdf")
        return {"preview": base64.b64encode(content), "preview_name": name}

    @api.model
    def _email_preview(self, reminders):
        if not reminders:
            return False
        reminder = reminders[0]
        template = reminder.level_id.mail_template_id
        if not template:
            return False
        return template._render_field("body_html", reminder.ids, compute_lang=True)[reminder.id]

    @api.model
    def _signature(self, reminders):
        return ";".join(
            "%s:%s:%s:%s:%s:%.2f:%.2f"
            % (
                r.id,
                r.date,
                r.channel,
                r.letter_attachment_id.id,
                ",".join(map(str, sorted(r.invoice_ids.ids))),
                r.amount_due,
                r.penalty_amount,
            )
            for r in reminders.sorted("id")
        )

    def action_confirm(self):
        self.ensure_one()
        reminders = self.reminder_ids
        if not reminders:
            return {"type": "ir.actions.act_window_close"}
        if self._signature(reminders) != self.shown or any(
            r.date != fields.Date.context_today(self) for r in reminders
        ):
            raise UserError(
                self.env._(
                    "These formal notices changed since they were shown (a payment, an answer of the "
                    "customer, or another day): open the validation again to see them as they will leave."
                )
            )
        reminders._relance_validate()
        return {"type": "ir.actions.act_window_close"}
