from lxml import etree

from odoo import models


class IrQweb(models.AbstractModel):
    _inherit = "ir.qweb"

    def _compile(self, template):
        # EXTENDS base: an email template's body reaches QWeb as an element, compiled anew for
        # each record (no view to cache it by). Given a ``relance_qweb_cache`` dict in the
        # context (one template rendered for a batch of reminders), an identical body is
        # compiled once.
        cache = self.env.context.get("relance_qweb_cache")
        if cache is None or not isinstance(template, etree._Element):
            return super()._compile(template)
        key = etree.tostring(template)
        if key not in cache:
            cache[key] = super()._compile(template)
        return cache[key]
