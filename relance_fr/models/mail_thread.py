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
