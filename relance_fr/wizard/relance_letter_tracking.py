from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class RelanceLetterTracking(models.TransientModel):
    _name = "relance.letter.tracking"
    _description = "Record posted letters"

    line_ids = fields.One2many("relance.letter.tracking.line", "wizard_id", string="Letters")

    @api.model
    def default_get(self, fields_list):
        # EXTENDS base: one line per selected letter waiting to be posted
        res = super().default_get(fields_list)
        if "line_ids" not in fields_list or self.env.context.get("active_model") != "relance.reminder":
            return res
        reminders = self.env["relance.reminder"].browse(self.env.context.get("active_ids") or [])
        self._check_to_post(reminders)
        res["line_ids"] = [
            Command.create({"reminder_id": reminder.id, "tracking_number": reminder.tracking_number})
            for reminder in reminders
        ]
        return res

    @api.model
    def _check_to_post(self, reminders):
        if not reminders:
            raise UserError(self.env._("Select the letters that were posted."))
        waiting = reminders.filtered(lambda r: r.state != "to_print")
        if waiting:
            raise UserError(
                self.env._(
                    "These reminders are not letters waiting to be posted: %(reminders)s.",
                    reminders=", ".join(waiting.mapped("display_name")),
                )
            )

    def action_confirm(self):
        """Record the tracking numbers and mark the letters as sent. A letter whose number is
        new is printed again with its number, kept on the reminder and in its chatter."""
        self.ensure_one()
        lines = self.line_ids
        reminders = lines.reminder_id
        self._check_to_post(reminders)
        missing = lines.filtered(lambda line: line.is_registered and not (line.tracking_number or "").strip())
        if missing:
            raise UserError(
                self.env._(
                    "Enter the tracking number of the registered letter to %(partners)s.",
                    partners=", ".join(missing.reminder_id.partner_id.mapped("display_name")),
                )
            )
        changed = self.env["relance.reminder"]
        for line in lines:
            number = (line.tracking_number or "").strip() or False
            if number != line.reminder_id.tracking_number:
                line.reminder_id.tracking_number = number
                changed |= line.reminder_id
        if changed:
            changed._relance_make_letters(post=False)
        reminders.action_mark_sent()
        for reminder in reminders:
            body = (
                self.env._(
                    "Registered letter posted, tracking number %(number)s.", number=reminder.tracking_number
                )
                if reminder.is_registered
                else self.env._("Letter posted.")
            )
            reminder.message_post(body=body, attachment_ids=reminder.letter_attachment_id.ids)
        return {"type": "ir.actions.act_window_close"}


class RelanceLetterTrackingLine(models.TransientModel):
    _name = "relance.letter.tracking.line"
    _description = "Posted letter"

    wizard_id = fields.Many2one("relance.letter.tracking", required=True, ondelete="cascade")
    reminder_id = fields.Many2one("relance.reminder", required=True, readonly=True, ondelete="cascade")
    partner_id = fields.Many2one(related="reminder_id.partner_id")
    level_id = fields.Many2one(related="reminder_id.level_id")
    channel = fields.Selection(related="reminder_id.channel")
    is_registered = fields.Boolean(related="reminder_id.is_registered")
    amount_due = fields.Monetary(related="reminder_id.amount_due")
    currency_id = fields.Many2one(related="reminder_id.currency_id")
    tracking_number = fields.Char(help="Number of the registered letter (La Poste), e.g. 1A 123 456 7890 1.")
