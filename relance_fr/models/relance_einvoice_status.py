import hashlib

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import relance_einvoice as rules

SOURCES = [("cdar_file", "CDAR file"), ("email", "Email"), ("manual", "Manual entry")]
PAID_STATES = ("paid", "in_payment", "reversed")


class RelanceEinvoiceStatus(models.Model):
    """A lifecycle status of a customer invoice, as the buyer's e-invoicing platform reports it
    (XP Z12-012, CDAR messages). Matched statuses act on the invoice's dunning
    (relance_einvoice_effects.py); unmatched ones wait in a list for review."""

    _name = "relance.einvoice.status"
    _description = "E-invoicing lifecycle status"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    invoice_id = fields.Many2one(
        "account.move",
        index=True,
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
        tracking=True,
        help="Empty when the message matched no invoice: the status waits for review.",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", related="invoice_id.commercial_partner_id", store=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    code = fields.Char(
        "Status code", index=True, tracking=True, help="XP Z12-012 lifecycle status, e.g. 207 (En litige)."
    )
    code_choice = fields.Selection(
        sorted(rules.LABELS.items()),
        string="Status",
        compute="_compute_code_choice",
        inverse="_inverse_code_choice",
    )
    label = fields.Char(
        "Status label", compute="_compute_label", store=True, help="French label of the code."
    )
    summary = fields.Char(compute="_compute_label", store=True)
    date = fields.Date(
        "Event date", required=True, default=fields.Date.context_today, help="When the buyer's side set it."
    )
    reason_code = fields.Char(help="The buyer's reason code, e.g. QTE_ERR.")
    reason = fields.Char(help="The buyer's reason, in its words.")
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        help="The invoice's currency (the company's when none).",
    )
    amount = fields.Monetary(
        currency_field="currency_id",
        help="The amount the message carries: approved (MAP/MAPTTC), collected (MEN) or remaining (RAP).",
    )
    source = fields.Selection(SOURCES, required=True, default="manual")
    message_id = fields.Char("CDAR message id", index=True, readonly=True, copy=False)
    invoice_ref = fields.Char("Invoice number (message)", readonly=True)
    invoice_ref_date = fields.Date("Invoice date (message)", readonly=True)
    seller_siren = fields.Char("Seller SIREN (message)", readonly=True)
    attachment_id = fields.Many2one("ir.attachment", string="Original message", readonly=True, copy=False)
    result = fields.Selection(
        [("review", "To review"), ("applied", "Applied"), ("history", "History only")],
        default="review",
        required=True,
        readonly=True,
        index=True,
        copy=False,
        tracking=True,
        help="Applied: the status acted on the invoice's dunning. History only: the invoice was "
        "paid or already had a later status. To review: no invoice matched.",
    )
    note = fields.Char("Import note", readonly=True, help="Why the status matched no invoice.")

    @api.depends("code")
    def _compute_code_choice(self):
        for status in self:
            status.code_choice = status.code if status.code in rules.LABELS else False

    def _inverse_code_choice(self):
        for status in self:
            status.code = status.code_choice

    @api.depends("code")
    def _compute_label(self):
        for status in self:
            status.label = rules.label(status.code)
            status.summary = " ".join(filter(None, [status.code, status.label]))

    @api.depends("invoice_id.currency_id", "company_id")
    def _compute_currency_id(self):
        for status in self:
            status.currency_id = status.invoice_id.currency_id or status.company_id.currency_id

    @api.depends("summary", "invoice_id", "invoice_ref")
    def _compute_display_name(self):
        for status in self:
            status.display_name = " – ".join(
                filter(None, [status.summary, status.invoice_id.name or status.invoice_ref])
            )

    @api.constrains("code", "source", "invoice_id")
    def _check_status(self):
        for status in self:
            invoice = status.invoice_id
            if invoice and (invoice.move_type != "out_invoice" or invoice.state != "posted"):
                raise ValidationError(
                    self.env._(
                        "A lifecycle status is about a posted customer invoice, not %(move)s.",
                        move=invoice.display_name,
                    )
                )
            if status.source == "manual" and status.code not in rules.LABELS:
                raise ValidationError(
                    self.env._(
                        "Choose the status among the codes of XP Z12-012 (%(code)s is not one).",
                        code=status.code or "–",
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("code_choice"):  # manual entry: the status chosen from the list
                vals["code"] = vals.pop("code_choice")
        statuses = super().create(vals_list)
        statuses.filtered("invoice_id")._relance_apply()
        return statuses

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_apply(self):
        """A status kept for review, its invoice now chosen: it acts as if it had matched."""
        for status in self:
            if status.result != "review":
                raise UserError(self.env._("%(status)s was already applied.", status=status.display_name))
            if not status.invoice_id:
                raise UserError(
                    self.env._("Choose the invoice %(status)s is about first.", status=status.display_name)
                )
            if status.code not in rules.LABELS:
                raise UserError(
                    self.env._("Set a known status code on %(status)s first.", status=status.display_name)
                )
        self.write({"note": False})
        self._relance_apply()

    # ------------------------------------------------------------------
    # Reading CDAR messages
    # ------------------------------------------------------------------
    @api.model
    def import_cdar(self, data, source="cdar_file", filename=None):
        """Read one CDAR message (bytes) for the current company: the new statuses it creates.
        Statuses matching no invoice are kept for review; a message imported before creates
        nothing. Raises UserError when ``data`` is not a readable CDAR message."""
        return self._relance_import(data, source, filename)[0]

    @api.model
    def _relance_import(self, data, source="cdar_file", filename=None):
        """``(new statuses, statuses of this message already imported)``."""
        if isinstance(data, str):
            data = data.encode()
        name = filename or self.env._("CDAR message")
        try:
            message_id, items = rules.parse_cdar(data)
        except rules.CdarError as exc:
            raise UserError(self._relance_cdar_error(exc, name)) from exc
        message_id = message_id or "sha1:" + hashlib.sha1(data).hexdigest()
        company = self.env.company
        known = self.search([("company_id", "=", company.id), ("message_id", "=", message_id)])
        seen = {(s.invoice_ref or "", s.code or "") for s in known}
        items = [i for i in items if (i["invoice_ref"], i["code"]) not in seen]
        if not items:
            return self.browse(), known
        refs = [i["invoice_ref"] for i in items if i["invoice_ref"]]
        moves = self.env["account.move"].search([("company_id", "=", company.id), ("name", "in", refs)])
        by_name = {m.name: m for m in moves}
        own_siren = company._relance_siren()
        today = fields.Date.context_today(self)
        vals_list = []
        for item in items:
            invoice, note = self._relance_match(item, by_name.get(item["invoice_ref"]), own_siren)
            vals_list.append(
                {
                    "company_id": company.id,
                    "invoice_id": invoice.id,
                    "code": item["code"] or False,
                    "date": item["date"] or today,
                    "reason_code": item["reason_code"] or False,
                    "reason": item["reason"] or False,
                    "amount": rules.main_amount(item["amounts"]),
                    "source": source,
                    "message_id": message_id,
                    "invoice_ref": item["invoice_ref"] or False,
                    "invoice_ref_date": item["invoice_date"],
                    "seller_siren": item["seller_siren"] or False,
                    "note": note or False,
                }
            )
        # the original message, kept once for all the statuses it carries
        attachment = self.env["ir.attachment"].create(
            {
                "name": filename or f"{message_id}.xml",
                "raw": data,
                "mimetype": "application/xml",
                "res_model": self._name,
            }
        )
        statuses = self.create([{**vals, "attachment_id": attachment.id} for vals in vals_list])
        # the attachment just made, tied to its first status (19.0 checks the write of res_id
        # against a record it cannot see yet: the status did not exist when it was created)
        attachment.sudo().res_id = statuses[:1].id
        return statuses, known

    @api.model
    def _relance_cdar_error(self, exc, name):
        if exc.kind == "not_xml":
            return self.env._("%(file)s is not an XML file: %(detail)s", file=name, detail=exc.detail)
        if exc.kind == "not_cdar":
            return self.env._(
                "%(file)s is XML but not a CDAR lifecycle message (its root element is %(root)s).",
                file=name,
                root=exc.detail,
            )
        return self.env._("%(file)s is a CDAR message about no invoice.", file=name)

    @api.model
    def _relance_match(self, item, move, own_siren):
        """``(invoice, '')`` when the status is about a posted customer invoice of the company
        (number, date and SIREN agree), else ``(empty, why)``."""
        none = self.env["account.move"]
        number = item["invoice_ref"]
        if not item["code"]:
            return none, self.env._("The message about %(number)s has no status code.", number=number or "–")
        if item["code"] not in rules.LABELS:
            return none, self.env._(
                "Unknown status code %(code)s (not one of XP Z12-012).", code=item["code"]
            )
        if not number:
            return none, self.env._("The message names no invoice (IssuerAssignedID).")
        if not own_siren:
            return none, self.env._(
                "%(company)s has no SIREN (company registry): statuses cannot be matched.",
                company=self.env.company.name,
            )
        if item["seller_siren"] != own_siren:
            return none, self.env._(
                "The seller of %(number)s is SIREN %(siren)s, not %(company)s (%(own)s).",
                number=number,
                siren=item["seller_siren"] or "–",
                company=self.env.company.name,
                own=own_siren,
            )
        if not move:
            return none, self.env._(
                "No invoice numbered %(number)s in %(company)s.", number=number, company=self.env.company.name
            )
        if move.move_type != "out_invoice":
            return none, self.env._(
                "%(number)s is not a customer invoice (%(type)s).",
                number=number,
                type=dict(move._fields["move_type"]._description_selection(self.env)).get(move.move_type),
            )
        if move.state != "posted":
            return none, self.env._("%(number)s is not posted (draft or cancelled).", number=number)
        if item["invoice_date"] != move.invoice_date:
            return none, self.env._(
                "%(number)s is dated %(ours)s; the message says %(theirs)s.",
                number=number,
                ours=move.invoice_date and move.invoice_date.strftime("%d/%m/%Y"),
                theirs=item["invoice_date"].strftime("%d/%m/%Y") if item["invoice_date"] else "–",
            )
        return move, ""

    # ------------------------------------------------------------------
    # Mail gateway: the alias the company gives its platform
    # ------------------------------------------------------------------
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        # EXTENDS mail: an email from the platform carries CDAR messages as attachments
        custom_values = dict(custom_values or {})
        company = self.env["res.company"].browse(custom_values.get("company_id")) or self.env.company
        Status = self.with_company(company)
        new = known = self.browse()
        problems = []
        for name, data in self._relance_mail_files(msg_dict.get("attachments") or []):
            try:
                created, before = Status._relance_import(data, source="email", filename=name)
            except UserError as exc:
                problems.append(str(exc))
                continue
            new |= created
            known |= before
        record = (new or known)[:1]
        if not record:
            record = Status.create(
                {
                    "company_id": company.id,
                    "source": "email",
                    "date": fields.Date.context_today(self),
                    "note": (" ".join(problems) or self.env._("The email carries no CDAR message."))[:250],
                }
            )
        elif problems:
            record.message_post(body=Markup("<br/>").join(problems), subtype_xmlid="mail.mt_note")
        return record

    @api.model
    def _relance_mail_files(self, attachments):
        """``(name, bytes)`` of the XML files an email carries (ZIP archives opened)."""
        files = []
        for attachment in attachments:
            name, content = attachment[0], attachment[1]
            if isinstance(content, str):
                content = content.encode()
            files.extend(self.env["relance.einvoice.import"]._relance_files(name, content, only_xml=True))
        return files
