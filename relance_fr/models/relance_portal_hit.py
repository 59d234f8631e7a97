import hashlib
from datetime import timedelta

from odoo import api, fields, models

from ..tools import relance_portal
from .relance_portal import CACHE_PREFIX


class RelancePortalHit(models.Model):
    """One counted request of the customer's page (a form, a payment, a download, a fresh link
    asked): the hour's limits per token and per address are counted here, across processes.
    Reading the page is never counted. Kept a day, then deleted."""

    _name = "relance.portal.hit"
    _description = "Customer page request (rate limit)"
    _log_access = False

    partner_id = fields.Many2one("res.partner", required=True, index=True, ondelete="cascade")
    kind = fields.Selection(
        [("form", "Form"), ("pay", "Payment"), ("download", "Download"), ("renew", "Fresh link")],
        required=True,
    )
    address = fields.Char(
        index=True, help="Hash of the caller's IP address (the address itself is not kept)."
    )
    at = fields.Datetime(required=True, index=True, default=fields.Datetime.now)

    @api.model
    def _address_hash(self, address):
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret", "")
        return hashlib.sha256(f"{secret}:{address or ''}".encode()).hexdigest()[:32]

    @api.model
    def _count(self, partner, kind, address):
        """Count one request of ``kind``; False (and nothing counted) when the hour's limit per
        token or per address is spent."""
        since = fields.Datetime.now() - timedelta(hours=1)
        address = self._address_hash(address)
        base = [("kind", "=", kind), ("at", ">", since)]
        by_token = self.search_count([*base, ("partner_id", "=", partner.id)])
        by_address = self.search_count([*base, ("address", "=", address)])
        if relance_portal.over_limit(kind, by_token, by_address):
            return False
        self.create({"partner_id": partner.id, "kind": kind, "address": address})
        return True

    @api.autovacuum
    def _gc_hits(self):
        """Counts older than a day, and the page's documents rendered before today."""
        self.search([("at", "<", fields.Datetime.now() - timedelta(days=1))]).unlink()
        today = fields.Date.context_today(self)
        self.env["ir.attachment"].sudo().search(
            [
                ("name", "=like", f"{CACHE_PREFIX}%"),
                ("res_model", "=", False),
                ("create_date", "<", fields.Datetime.to_datetime(today)),
            ]
        ).unlink()
