import hmac
import re
import secrets
from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

# secrets.token_urlsafe(32): 256 random bits, 43 characters of the URL-safe base64 alphabet
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{43}")
# form posts a customer's page accepts in an hour (promises, payments declared, disputes,
# messages): enough for a customer, too few to flood the AR specialist or the disk
PORTAL_POSTS_PER_HOUR = 10


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    relance_access_token = fields.Char(
        "Customer page token",
        copy=False,
        index="btree_not_null",
        groups="account.group_account_invoice",
        help="Secret part of the link to the customer's page (/relance/<token>) printed in every "
        "reminder. Reset it to make the links already sent stop working.",
    )
    relance_portal_post_count = fields.Integer(
        "Customer page posts", copy=False, groups="base.group_system", help="Form posts in the current hour."
    )
    relance_portal_post_since = fields.Datetime(
        "Customer page posts since", copy=False, groups="base.group_system"
    )

    _sql_constraints = [
        (
            "relance_access_token_unique",
            "UNIQUE(relance_access_token)",
            "Two customers cannot share a customer page token.",
        )
    ]

    def action_relance_reset_token(self):
        """A new link to the customer's page: the links already sent lead nowhere any more."""
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only billing users can reset the link to a customer's page."))
        for partner in self.commercial_partner_id:
            partner.sudo().relance_access_token = secrets.token_urlsafe(32)
            partner.sudo().message_post(
                body=self.env._(
                    "New link to the customer's page given by %(user)s: the links sent before no "
                    "longer work.",
                    user=self.env.user.name,
                ),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _relance_ensure_access_tokens(self):
        """Give the commercial customers a page token when they have none, in one query."""
        partners = self.commercial_partner_id.sudo()
        missing = partners.filtered(lambda p: not p.relance_access_token)
        if missing:
            self.env.execute_query(
                SQL(
                    "UPDATE res_partner p SET relance_access_token = t.token "
                    "FROM unnest(%s::int[], %s::varchar[]) AS t(id, token) "
                    "WHERE p.id = t.id AND p.relance_access_token IS NULL",
                    missing.ids,
                    [secrets.token_urlsafe(32) for _ in missing],
                )
            )
            missing.invalidate_recordset(["relance_access_token"])
        return partners

    def _relance_portal_url(self):
        """Full URL of the customer's page (the token is created on the first call)."""
        self.ensure_one()
        partner = self._relance_ensure_access_tokens()
        return f"{partner.get_base_url()}/relance/{partner.relance_access_token}"

    def _relance_from_token(self, token):
        """The active commercial customer whose page ``token`` opens, or an empty recordset:
        a malformed token is refused before any query, the match compared in constant time."""
        if not isinstance(token, str) or not TOKEN_RE.fullmatch(token):
            return self.browse()
        partner = self.sudo().search([("relance_access_token", "=", token)], limit=1)
        if not partner or not hmac.compare_digest(partner.relance_access_token, token):
            return self.browse()
        if partner.commercial_partner_id != partner or not partner.active:
            return self.browse()
        return partner

    def _relance_count_portal_post(self):
        """Count one form post from the customer's page; False when the hour's quota is spent
        (the count starts again an hour after its first post)."""
        self.ensure_one()
        partner = self.sudo()
        now = fields.Datetime.now()
        since = partner.relance_portal_post_since
        if not since or since <= now - timedelta(hours=1):
            partner.write({"relance_portal_post_since": now, "relance_portal_post_count": 1})
            return True
        if partner.relance_portal_post_count >= PORTAL_POSTS_PER_HOUR:
            return False
        partner.relance_portal_post_count += 1
        return True

    def _relance_portal_ack_values(self):
        """Facts of an acknowledgment of the customer's page: the customer's and what it sent
        (``relance_ack`` in the context)."""
        self.ensure_one()
        partner = self.commercial_partner_id
        values = self.env["relance.event"]._common_values(partner, self.env.company)
        values.update(self.env.context.get("relance_ack") or {})
        return values
