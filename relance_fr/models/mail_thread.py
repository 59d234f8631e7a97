from markupsafe import Markup

from odoo import models

from ..tools import relance_portal


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def message_post(self, **kwargs):
        # EXTENDS mail: a link to a customer's page is a credential. The email leaves with the
        # live link (already rendered into the outgoing mail.mail, readable by administrators
        # only); the message kept in the chatter, readable by every employee, keeps a dead one.
        message = super().message_post(**kwargs)
        body = message.body or ""
        if "/relance/" in body:
            redacted = relance_portal.redact_links(str(body))
            if redacted != body:
                message.sudo().body = Markup(redacted)  # noqa: S704 the stored body, only a link changed
        return message

    def _notify_get_recipients(self, message, msg_vals, **kwargs):
        # EXTENDS mail: a message to the customer (reminder, acknowledgment, welcome...) reaches
        # the customer only, never a copy to the salesperson or the other followers
        # (context key relance_customer_only: only the partners the message names)
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        if not self.env.context.get("relance_customer_only"):
            return recipients
        named = set((msg_vals.get("partner_ids") or []) if msg_vals else message.sudo().partner_ids.ids)
        return [recipient for recipient in recipients if recipient["id"] in named]
