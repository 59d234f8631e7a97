from odoo import models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _notify_get_recipients(self, message, msg_vals, **kwargs):
        # EXTENDS mail: a message to the customer (reminder, acknowledgment, welcome...) reaches
        # the customer only, never a copy to the salesperson or the other followers
        # (context key relance_customer_only: only the partners the message names)
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        if not self.env.context.get("relance_customer_only"):
            return recipients
        named = set((msg_vals.get("partner_ids") or []) if msg_vals else message.sudo().partner_ids.ids)
        return [recipient for recipient in recipients if recipient["id"] in named]
