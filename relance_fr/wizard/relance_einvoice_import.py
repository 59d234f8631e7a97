import io
import zipfile

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

MAX_FILES = 1000


class RelanceEinvoiceImport(models.TransientModel):
    """Import CDAR lifecycle messages downloaded from the platform: one or many XML files, or
    ZIP archives of them. Each file is read on its own: a bad one is reported, the others go in."""

    _name = "relance.einvoice.import"
    _description = "Import e-invoicing statuses"

    attachment_ids = fields.Many2many(
        "ir.attachment",
        "relance_einvoice_import_attachment_rel",
        "wizard_id",
        "attachment_id",
        string="CDAR files",
        help="XML files of CDAR messages, or ZIP archives of them.",
    )
    status_ids = fields.Many2many("relance.einvoice.status", string="Imported statuses", readonly=True)
    summary = fields.Text(readonly=True)
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft", required=True)

    def action_import(self):
        self.ensure_one()
        if not self.attachment_ids:
            raise UserError(self.env._("Add the CDAR files (XML or ZIP) to import."))
        Status = self.env["relance.einvoice.status"]
        statuses = Status.browse()
        lines = []
        duplicates = 0
        for attachment in self.attachment_ids:
            for name, data in self._relance_files(attachment.name, attachment.raw):
                try:
                    new, known = Status._relance_import(data, source="cdar_file", filename=name)
                except UserError as exc:
                    lines.append(str(exc))
                    continue
                statuses |= new
                duplicates += bool(known and not new)
        review = statuses.filtered(lambda s: s.result == "review")
        lines[:0] = [
            self.env._(
                "%(count)s statuses imported: %(applied)s acting on their invoice, %(history)s kept in "
                "the history only, %(review)s to review; %(duplicates)s messages already imported.",
                count=len(statuses),
                applied=len(statuses.filtered(lambda s: s.result == "applied")),
                history=len(statuses.filtered(lambda s: s.result == "history")),
                review=len(review),
                duplicates=duplicates,
            )
        ] + [f"{s.invoice_ref or '–'}: {s.note}" for s in review]
        self.write({"status_ids": [Command.set(statuses.ids)], "summary": "\n".join(lines), "state": "done"})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_open_statuses(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Imported statuses"),
            "res_model": "relance.einvoice.status",
            "view_mode": "list,form",
            "domain": [("id", "in", self.status_ids.ids)],
        }

    @api.model
    def _relance_files(self, name, data, only_xml=False):
        """``(name, bytes)`` for each message in a file: a ZIP gives its members. ``only_xml``
        (emails): files that do not look like XML are left out instead of reported."""
        name = name or ""
        data = data or b""
        if zipfile.is_zipfile(io.BytesIO(data)):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = [m for m in archive.infolist() if not m.is_dir()][:MAX_FILES]
                return [
                    (f"{name}/{member.filename}", archive.read(member))
                    for member in members
                    if not only_xml or member.filename.lower().endswith(".xml")
                ]
        if only_xml and not (name.lower().endswith(".xml") or data.lstrip()[:1] == b"<"):
            return []
        return [(name, data)]
