"""Shared scenario helpers: a French company, customers, invoices, a run on a given day."""

import html
import re
from contextlib import contextmanager, nullcontext
from datetime import date
from unittest.mock import patch

from odoo import Command, modules
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.relance_fr import compat
from odoo.tests import freeze_time, tagged
from odoo.tools import config, mute_logger

from .smtp_sink import SmtpSink, free_port


def text(body):
    """Visible text of an HTML body, with spaces normalised (incl. no-break spaces)."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", str(body or "")))).strip()


def view_filter(env, model, name, view_id=False):
    """The domain of the search view's filter ``name``, evaluated as the web client does
    (``context_today()`` is today, frozen or not): tests search with what the user clicks."""
    from dateutil.relativedelta import relativedelta  # noqa: PLC0415
    from lxml import etree  # noqa: PLC0415

    from odoo.tools.safe_eval import safe_eval  # noqa: PLC0415

    arch = env[model].get_views([(view_id, "search")])["views"]["search"]["arch"]
    [node] = etree.fromstring(arch).xpath(f"//filter[@name='{name}']")
    return safe_eval(
        node.get("domain"),
        {"context_today": date.today, "relativedelta": relativedelta, "uid": env.uid},
    )


def fr(amount_text):
    """A French amount as the customer reads it, spaces normalised: '1 234,56 €'."""
    return re.sub(r"\s+", " ", amount_text)


@tagged("post_install", "-at_install")
class RelanceCase(AccountTestInvoicingCommon):
    @classmethod
    @AccountTestInvoicingCommon.setup_country("fr")
    def setUpClass(cls):
        super().setUpClass()
        if compat.V19:
            # an email sent at once (a welcome, a thanks) leaves during the transaction on both
            # versions: on 18.0 under pytest-odoo it meets no SMTP server and fails; 19.0 would
            # keep it queued for the next send_mails(). The same here: no server where it goes.
            cls.startClassPatcher(
                patch.object(type(cls.env["ir.mail_server"]), "_disable_send", staticmethod(lambda: False))
            )
            cls.startClassPatcher(
                patch.dict(config.options, {"smtp_server": "127.0.0.1", "smtp_port": free_port()})
            )
        cls.company = cls.company_data["company"]
        cls.company.write(
            {
                "name": "Atelier Dupont SAS",
                "street": "12 rue de la République",
                "zip": "69002",
                "city": "Lyon",
                "email": "compta@atelier-dupont.fr",
                "phone": "+33 4 72 00 00 00",
            }
        )
        cls.env["res.partner.bank"].create(
            {
                "partner_id": cls.company.partner_id.id,
                "acc_number": "FR7630006000011234567890189",
            }
        )
        cls.specialist = cls.env["res.users"].create(
            {
                "name": "Claire Martin",
                "login": "claire.martin",
                "email": "claire.martin@atelier-dupont.fr",
                "phone": "04 72 00 00 01",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                compat.USER_GROUPS: [Command.set([cls.env.ref("account.group_account_invoice").id])],
            }
        )
        cls.company.relance_specialist_id = cls.specialist
        cls.policies = {
            p.profile: p for p in cls.env["relance.policy"].search([("company_id", "=", cls.company.id)])
        }
        cls.Reminder = cls.env["relance.reminder"]
        # wkhtmltopdf loads the report assets from the test HTTP server (pytest --odoo-http)
        cls.env["ir.config_parameter"].sudo().set_param(
            "report.url", "http://127.0.0.1:%s" % config["http_port"]
        )

    @classmethod
    def customer(cls, name="Boulangerie Martin SARL", profile="standard", email="compta@client.fr", **vals):
        partner = cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": email,
                "street": "5 place Bellecour",
                "zip": "69002",
                "city": "Lyon",
                "country_id": cls.env.ref("base.fr").id,
                "vat": "FR23334175221",
                **vals,
            }
        )
        partner.with_company(cls.company).relance_profile = profile
        return partner

    @classmethod
    def invoice(cls, partner, amount, due, invoice_date=None, post=True, move_type="out_invoice"):
        """A posted customer invoice of ``amount`` (tax excluded = included) due on ``due``."""
        due = date.fromisoformat(due) if isinstance(due, str) else due
        invoice_date = invoice_date or due.replace(day=1)
        invoice_date = date.fromisoformat(invoice_date) if isinstance(invoice_date, str) else invoice_date
        move = (
            cls.env["account.move"]
            .with_company(cls.company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": invoice_date,
                    "invoice_date_due": due,
                    "invoice_payment_term_id": False,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Prestation",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
            )
        )
        if post:
            with freeze_time(invoice_date):
                move.action_post()
        return move

    def run_on(self, day):
        """The daily run on ``day``; returns the reminders it created."""
        before = self.Reminder.search([])
        with freeze_time(day):
            self.env["relance.run"].sudo()._cron_run()
        return self.Reminder.search([]) - before

    @contextmanager
    def smtp_server(self, refuse=(), bounce=(), down=False):
        """A real SMTP server on 127.0.0.1 for the block (tests/smtp_sink.py), Odoo's outgoing
        mail server pointed at it; ``down``: a port where nothing listens. Odoo's test-mode
        skipping of the SMTP exchange is turned off meanwhile: 18.0 asks ``current_test``
        (pytest-odoo leaves it off, Odoo's own test runner turns it on); 19.0 asks
        ``ir.mail_server._disable_send()``, off for the whole class (setUpClass), and needs
        ``current_test`` kept (with it, an email sent "after the commit" leaves at once)."""
        server = self.env["ir.mail_server"].sudo().search([("name", "=", "SMTP des tests")])
        server = server or self.env["ir.mail_server"].sudo().create(
            {"name": "SMTP des tests", "smtp_host": "127.0.0.1", "smtp_port": 25, "sequence": 0}
        )
        sink = SmtpSink(refuse=refuse, bounce=bounce)
        server.smtp_port = free_port() if down else sink.port
        with (
            patch.object(modules.module, "current_test", None) if not compat.V19 else nullcontext(),
            patch.dict(config.options, {"smtp_server": "127.0.0.1", "smtp_port": server.smtp_port}),
            mute_logger("odoo.addons.mail.models.mail_mail", "odoo.addons.base.models.ir_mail_server"),
        ):
            if down:
                yield sink
            else:
                with sink:
                    yield sink

    def send_mails(self, **server):
        """Odoo's mail queue, as its cron runs it, to a real SMTP server: what it received."""
        with self.smtp_server(**server) as sink:
            self.env["mail.mail"].sudo().process_email_queue()
        return sink

    def pay(self, invoice, amount=None, day=None):
        with freeze_time(day or invoice.invoice_date_due):
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"amount": amount or invoice.amount_residual}).action_create_payments()

    def validate(self, reminders):
        """An accounting manager validates formal notices as the screen does: the letter built
        now is shown (``relance.reminder.validate``), then that letter goes. Returns the wizard."""
        action = reminders.action_validate()
        wizard = reminders.env[action["res_model"]].browse(action["res_id"])
        wizard.action_confirm()
        return wizard

    def emails(self, reminder):
        """Customer-facing messages posted on the reminder."""
        return reminder.message_ids.filtered(lambda m: m.message_type == "comment")
