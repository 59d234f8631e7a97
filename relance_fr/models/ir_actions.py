from odoo import Command, api, models

from .. import compat


class IrActionsActions(models.Model):
    _inherit = "ir.actions.actions"

    @api.model
    def _relance_restrict(self, action_xmlid, group_xmlids):
        """Show the action (a report, a window) to these groups only, from a data file: its
        groups field is named differently on 18.0 and 19.0 (compat.ACTION_GROUPS)."""
        groups = [Command.link(self.env.ref(xmlid).id) for xmlid in group_xmlids]
        self.env.ref(action_xmlid).write({compat.ACTION_GROUPS: groups})
