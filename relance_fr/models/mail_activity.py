from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        # EXTENDS mail: the call of a phone reminder marked done is the reminder sent
        call_type = self.env.ref("mail.mail_activity_data_call", raise_if_not_found=False)
        reminder_ids = [
            activity.res_id
            for activity in self
            if activity.res_model == "relance.reminder" and activity.activity_type_id == call_type
        ]
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if reminder_ids:
            self.env["relance.reminder"].sudo().browse(reminder_ids).exists()._relance_call_done()
        return result
