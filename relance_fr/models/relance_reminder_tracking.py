from odoo import api, models
from odoo.exceptions import ValidationError

from ..tools import relance_tracking


# split by responsibility (files under ~500 lines): the registered letter's tracking number
class RelanceReminder(models.Model):
    """A registered letter is posted with La Poste's tracking number: checked against La Poste's
    formats (tools/relance_tracking.py), stored without spaces, one letter per number in a
    company (another company may use the same number: its letters are its own)."""

    _inherit = "relance.reminder"  # pylint: disable=consider-merging-classes-inherited

    @api.constrains("tracking_number", "company_id")
    def _check_tracking_number(self):
        for reminder in self.filtered("tracking_number"):
            error = reminder._relance_tracking_error(reminder.tracking_number)
            if error:
                raise ValidationError(error)

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS mail.thread: tracking numbers are stored normalised
        for vals in vals_list:
            self._relance_normalize_tracking(vals)
        return super().create(vals_list)

    def write(self, vals):
        # EXTENDS mail.thread: tracking numbers are stored normalised
        self._relance_normalize_tracking(vals)
        return super().write(vals)

    def action_mark_posted(self):
        """*Mark as Posted*: the tracking wizard for the selected letters, which asks for the
        registered letters' numbers and then marks them posted."""
        self.env["relance.letter.tracking"]._check_to_post(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Mark as Posted"),
            "res_model": "relance.letter.tracking",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    def _relance_tracking_display(self):
        """The tracking number as La Poste prints it on the receipt: ``1A 001 234 5678 9``."""
        self.ensure_one()
        return relance_tracking.display(self.tracking_number)

    @api.model
    def _relance_normalize_tracking(self, vals):
        if vals.get("tracking_number"):
            vals["tracking_number"] = relance_tracking.normalize(vals["tracking_number"]) or False

    def _relance_tracking_error(self, number):
        """Why ``number`` cannot be this letter's tracking number, or ``None``."""
        self.ensure_one()
        value, _kind, reason = relance_tracking.check(number)
        if reason == relance_tracking.BAD_CHECK_DIGIT:
            return self.env._(
                "%(number)s (letter to %(partner)s) is not a valid international tracking number: its "
                "check digit (the 11th character) does not match. Copy the number again from La Poste's "
                "receipt.",
                number=relance_tracking.display(value),
                partner=self.partner_id.display_name,
            )
        if reason:
            return self.env._(
                "“%(number)s” (letter to %(partner)s) is not a La Poste tracking number. Enter the 13 "
                "characters of the receipt, spaces allowed: 1A 001 234 5678 9 (France) or "
                "RR 123 456 785 FR (international).",
                number=number,
                partner=self.partner_id.display_name,
            )
        same = self.sudo().search(
            [
                ("company_id", "=", self.company_id.id),
                ("tracking_number", "=", value),
                ("id", "!=", self.id or 0),
            ],
            limit=1,
        )
        if same:
            return self.env._(
                "The tracking number %(number)s is already that of the letter %(reminder)s of %(date)s: "
                "each registered letter has its own number. Check the receipt of the letter to %(partner)s.",
                number=relance_tracking.display(value),
                reminder=same.display_name,
                date=same._fmt_date(same.date),
                partner=self.partner_id.display_name,
            )
        return None
