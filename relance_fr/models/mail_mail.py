import logging

from odoo import fields, models

from .. import compat

_logger = logging.getLogger(__name__)


class MailMail(models.Model):
    _inherit = "mail.mail"

    relance_reminder_id = fields.Many2one(
        "relance.reminder", string="Reminder", index="btree_not_null", ondelete="set null", readonly=True
    )

    def _postprocess_sent_message(self, success_pids, *args, **kwargs):
        # EXTENDS mail: a reminder's email tells its reminder whether the SMTP server took it
        failure_reason, failure_type = compat.postprocess_failure(args, kwargs)
        for mail in self.filtered("relance_reminder_id"):
            reminder = mail.relance_reminder_id.sudo()
            if failure_type == "mail_smtp":
                # the SMTP server could not be reached: nothing was refused, the email goes back
                # in the queue (Odoo would leave it failed) and its reminder stays to send
                mail.sudo().state = "outgoing"
                _logger.info("Reminder %s: SMTP server unreachable, its email stays queued", reminder.id)
            elif mail.state == "sent":
                reminder._relance_mail_sent()
            else:
                reminder._relance_mail_failed(failure_reason or mail.failure_reason or failure_type or "")
        return super()._postprocess_sent_message(success_pids, *args, **kwargs)
