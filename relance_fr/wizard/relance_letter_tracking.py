from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..models.relance_reminder_delivery import DELIVERY_STATUSES
from ..tools import relance_tracking


class RelanceLetterTracking(models.TransientModel):
    _name = "relance.letter.tracking"
    _description = "Mark letters as posted"

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
            Command.create(
                {
                    "reminder_id": reminder.id,
                    "tracking_number": reminder.tracking_number,
                    "delivery_date": reminder.delivery_date,
                    "delivery_status": reminder.delivery_status,
                }
            )
            for reminder in reminders
        ]
        return res

    @api.model
    def _check_to_post(self, reminders):
        if not reminders:
            raise UserError(self.env._("Select the letters that were posted."))
        # letters to post, and registered letters posted whose acknowledgment of receipt came back
        waiting = reminders.filtered(
            lambda r: r.state != "to_print"
            and not (r.is_registered and (r.letter_posted_date or r.state == "sent"))
        )
        if waiting:
            raise UserError(
                self.env._(
                    "These reminders are not letters waiting to be posted: %(reminders)s.",
                    reminders=", ".join(waiting.mapped("display_name")),
                )
            )

    def action_confirm(self):
        """Record the tracking numbers and mark the letters as sent. A letter whose number is
        new is printed again with its number, kept on the reminder and in its chatter. The
        acknowledgments of receipt entered are kept on their reminders."""
        self.ensure_one()
        self._check_to_post(self.line_ids.reminder_id)
        self._record_receipts()
        lines = self.line_ids.filtered(lambda line: line.reminder_id.state == "to_print")
        reminders = lines.reminder_id
        missing = lines.filtered(
            lambda line: line.is_registered and not relance_tracking.normalize(line.tracking_number)
        )
        if missing:
            raise UserError(
                self.env._(
                    "Enter the tracking number of the registered letter to %(partners)s.",
                    partners=", ".join(missing.reminder_id.partner_id.mapped("display_name")),
                )
            )
        changed = self.env["relance.reminder"]
        for line in lines:
            number = relance_tracking.normalize(line.tracking_number) or False
            error = number and line.reminder_id._relance_tracking_error(number)
            if error:
                raise UserError(error)
            if number != line.reminder_id.tracking_number:
                line.reminder_id.tracking_number = number
                changed |= line.reminder_id
        if changed:
            changed._relance_make_letters(post=False)
        reminders.action_mark_sent()
        for reminder in reminders:
            body = (
                self.env._(
                    "Registered letter posted, tracking number %(number)s.",
                    number=reminder._relance_tracking_display(),
                )
                if reminder.is_registered
                else self.env._("Letter posted.")
            )
            reminder.message_post(body=body, attachment_ids=reminder.letter_attachment_id.ids)
        return {"type": "ir.actions.act_window_close"}

    def _record_receipts(self):
        statuses = dict(self.line_ids._fields["delivery_status"]._description_selection(self.env))
        for line in self.line_ids:
            reminder = line.reminder_id
            if bool(line.delivery_date) != bool(line.delivery_status):
                raise UserError(
                    self.env._(
                        "Enter both the date and the outcome of the acknowledgment of receipt "
                        "for %(partner)s.",
                        partner=reminder.partner_id.display_name,
                    )
                )
            if not line.delivery_date or (line.delivery_date, line.delivery_status) == (
                reminder.delivery_date,
                reminder.delivery_status,
            ):
                continue
            if line.delivery_date < reminder.date:
                raise UserError(
                    self.env._(
                        "The letter to %(partner)s cannot be delivered before its date (%(date)s).",
                        partner=reminder.partner_id.display_name,
                        date=reminder._fmt_date(reminder.date),
                    )
                )
            reminder.write({"delivery_date": line.delivery_date, "delivery_status": line.delivery_status})
            reminder.message_post(
                body=self.env._(
                    "Acknowledgment of receipt: %(status)s on %(date)s.",
                    status=statuses[line.delivery_status],
                    date=reminder._fmt_date(line.delivery_date),
                )
            )


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
    tracking_number = fields.Char(
        help="Number of the registered letter on La Poste's receipt, spaces allowed: "
        "1A 001 234 5678 9 (France) or RR 123 456 785 FR (international).",
    )
    delivery_date = fields.Date(
        "Delivered on", help="From the acknowledgment of receipt: delivery, or first presentation."
    )
    delivery_status = fields.Selection(DELIVERY_STATUSES, string="Outcome")
