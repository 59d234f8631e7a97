from odoo import api, fields, models

# the reminders screen's order: what is due today first, then what is on its way, then the history
WORKLIST = [
    ("1_validate", "Formal notices to validate"),
    ("2_call", "Calls to make"),
    ("3_print", "Letters to print and post"),
    ("4_error", "Errors to fix"),
    ("5_send", "Emails on their way"),
    ("6_draft", "Drafts"),
    ("9_done", "Done"),
]
WORKLIST_OF_STATE = {
    "to_validate": "1_validate",
    "to_call": "2_call",
    "to_print": "3_print",
    "error": "4_error",
    "to_send": "5_send",
    "draft": "6_draft",
}


def print_priority(needs_validation, channel):
    """In the letters to post: formal notices first, then registered letters, then the others."""
    if needs_validation:
        return 0
    return 1 if channel in ("registered_letter", "registered_letter_email") else 2


# split by responsibility (files under ~500 lines): the reminders screen as a worklist
class RelanceReminder(models.Model):
    _inherit = "relance.reminder"  # pylint: disable=consider-merging-classes-inherited

    worklist = fields.Selection(
        WORKLIST,
        string="To do",
        compute="_compute_worklist",
        store=True,
        index=True,
        help="What the reminder waits for, in the order of the day's work: formal notices to "
        "validate, calls to make, letters to print and post (oldest first), errors to fix.",
    )

    print_priority = fields.Integer(
        compute="_compute_worklist",
        store=True,
        help="In the letters to post: formal notices first, then registered letters, then the others.",
    )

    @api.depends("state", "channel", "level_id.needs_validation")
    def _compute_worklist(self):
        for reminder in self:
            reminder.worklist = WORKLIST_OF_STATE.get(reminder.state, "9_done")
            reminder.print_priority = print_priority(reminder.level_id.needs_validation, reminder.channel)
