import hmac
import ipaddress
import re
import secrets
from urllib.parse import urlsplit

from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .. import compat
from ..tools import relance_portal

# secrets.token_urlsafe(32): 256 random bits, 43 characters of the URL-safe base64 alphabet
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{43}")

# the facts an acknowledgment of the customer's page shows (relance_ack in the context)
ACK_FACTS = ("amount", "comment", "date", "description", "invoice", "invoices", "means", "reason", "text")


@compat.sql_constraints(
    (
        "relance_access_token_unique",
        "UNIQUE(relance_access_token)",
        "Two customers cannot share a customer page token.",
    ),
)
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
    relance_link_date = fields.Date(
        "Customer page link sent on",
        copy=False,
        groups="account.group_account_invoice",
        help="Last day a message carried the link to the customer's page: the link expires the "
        "company's number of days later.",
    )

    def action_relance_reset_token(self):
        """A new link to the customer's page: the links already sent lead nowhere any more."""
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only billing users can reset the link to a customer's page."))
        for partner in self.commercial_partner_id:
            partner.sudo()._relance_new_token()
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

    def _relance_new_token(self):
        """A new secret: every link already sent stops working."""
        self.ensure_one()
        self.sudo().write(
            {"relance_access_token": secrets.token_urlsafe(32), "relance_link_date": fields.Date.today()}
        )

    def _relance_ensure_access_tokens(self):
        """Give the commercial customers a page token when they have none, in one query."""
        partners = self.commercial_partner_id.sudo()
        missing = partners.filtered(lambda p: not p.relance_access_token)
        if missing:
            self.env.execute_query(
                SQL(
                    "UPDATE res_partner p SET relance_access_token = t.token, relance_link_date = %s "
                    "FROM unnest(%s::int[], %s::varchar[]) AS t(id, token) "
                    "WHERE p.id = t.id AND p.relance_access_token IS NULL",
                    fields.Date.today(),
                    missing.ids,
                    [secrets.token_urlsafe(32) for _ in missing],
                )
            )
            missing.invalidate_recordset(["relance_access_token", "relance_link_date"])
        return partners

    def _relance_portal_url(self):
        """Full URL of the customer's page (the token is created on the first call). Every
        message that carries it calls this: the link's lifetime starts again today."""
        self.ensure_one()
        partner = self._relance_ensure_access_tokens()
        today = fields.Date.today()
        if partner.relance_link_date != today:
            partner.relance_link_date = today
        return f"{partner.get_base_url()}/relance/{partner.relance_access_token}"

    def _relance_link_expired(self, company):
        """Whether the link to this customer's page has expired (``company``'s lifetime)."""
        self.ensure_one()
        return relance_portal.link_expired(
            self.sudo().relance_link_date, fields.Date.today(), company.relance_link_days
        )

    def _relance_public_address_problem(self):
        """A warning when the address printed in the links (``web.base.url``) cannot be reached
        by customers (loopback, private network, localhost), else an empty string."""
        url = self.env["ir.config_parameter"].sudo().get_param("web.base.url") or ""
        host = urlsplit(url).hostname or ""
        try:
            private = ipaddress.ip_address(host).is_private or ipaddress.ip_address(host).is_loopback
        except ValueError:
            private = host == "localhost" or host.endswith((".localhost", ".local", ".lan", ".internal"))
        if not private:
            return ""
        return self.env._(
            "The links to the customer's page, in emails, letters and QR codes, use %(url)s, an "
            "address your customers cannot reach. Set the system parameter web.base.url to the "
            "public address of Odoo and web.base.url.freeze to True (see README).",
            url=url,
        )

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

    def _relance_portal_ack_values(self):
        """Facts of an acknowledgment of the customer's page: the customer's and what it sent
        (``relance_ack`` in the context)."""
        self.ensure_one()
        partner = self.commercial_partner_id
        values = self.env["relance.event"]._common_values(partner, self.env.company)
        # what the customer sent; without it (a template being checked or previewed) blanks
        values.update(dict.fromkeys(ACK_FACTS, ""))
        values.update(self.env.context.get("relance_ack") or {})
        return values
