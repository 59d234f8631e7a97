"""The screens a credit controller works from: the reminders worklist in the order of the
day's work and its *My actions* filter, the dashboard's figures one by one with their period,
an invoice's next reminder never in the past, the timeline's button in French."""

from pathlib import Path

import polib
from lxml import etree

from odoo import Command, modules
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import RelanceCase


@tagged("post_install", "-at_install")
class TestWorklist(RelanceCase):
    def reminder(self, name, state, day, user=None):
        partner = self.customer(name)
        invoice = self.invoice(partner, 100.0, "2026-03-31")
        level = self.policies["standard"].level_ids.filtered(lambda lv: lv.name == "Relance 2")
        return self.Reminder.create(
            {
                "partner_id": partner.id,
                "level_id": level.id,
                "channel": "registered_letter",
                "date": day,
                "invoice_ids": [Command.set(invoice.ids)],
                "state": state,
                "user_id": (user or self.specialist).id,
            }
        )

    def arch(self, view_type):
        return etree.fromstring(self.Reminder.get_views([(False, view_type)])["views"][view_type]["arch"])

    def worklist(self, user=None, filters=("to_handle",)):
        """The reminders as the screen lists them: its default filters, its default order."""
        search = self.arch("search")
        domain = []
        for name in filters:
            domain += safe_eval(
                search.xpath(f"//filter[@name='{name}']")[0].get("domain"),
                {"uid": (user or self.env.user).id},
            )
        order = self.arch("list").get("default_order")
        return self.Reminder.with_user(user or self.env.user).search(domain, order=order)

    def test_the_days_work_comes_first_letters_by_age(self):
        sent = self.reminder("Client Réglé", "sent", "2026-04-01")
        error = self.reminder("Client Erreur", "error", "2026-04-02")
        young_letter = self.reminder("Client Lettre Récente", "to_print", "2026-04-20")
        old_letter = self.reminder("Client Lettre Ancienne", "to_print", "2026-04-03")
        call = self.reminder("Client Appel", "to_call", "2026-04-18")
        notice = self.reminder("Client Mise en Demeure", "to_validate", "2026-04-19")
        email = self.reminder("Client Courriel", "to_send", "2026-04-17")
        listed = self.worklist()
        ours = listed & (sent | error | young_letter | old_letter | call | notice | email)
        self.assertEqual(
            ours.mapped("partner_id.name"),
            [
                "Client Mise en Demeure",
                "Client Appel",
                "Client Lettre Ancienne",
                "Client Lettre Récente",
                "Client Erreur",
                "Client Courriel",
            ],
        )
        # grouped as the action shows it, with the group's name
        action = self.env.ref("relance_fr.relance_reminder_action")
        self.assertIn("search_default_group_worklist", action.context)
        groups = self.Reminder._read_group([("id", "in", ours.ids)], ["worklist"], ["__count"])
        labels = dict(self.Reminder._fields["worklist"]._description_selection(self.env))
        self.assertEqual(
            [labels[worklist] for worklist, _count in groups],
            [
                "Formal notices to validate",
                "Calls to make",
                "Letters to print and post",
                "Errors to fix",
                "Emails on their way",
            ],
        )

    def test_my_actions(self):
        colleague = new_test_user(
            self.env, "ecran.collegue", groups="account.group_account_invoice", company_id=self.company.id
        )
        mine = self.reminder("Client À Moi", "to_call", "2026-04-10")
        theirs = self.reminder("Client Collègue", "to_print", "2026-04-10", user=colleague)
        waiting = self.reminder("Client En Route", "to_send", "2026-04-10")  # nothing to do: its email leaves
        asked = self.reminder("Client Validation", "to_validate", "2026-04-10", user=colleague)
        asked.activity_schedule("mail.mail_activity_data_todo", user_id=self.specialist.id, summary="Valider")
        listed = self.worklist(self.specialist, ("to_handle", "my_actions"))
        self.assertEqual(listed, asked | mine)  # the notice to validate first
        self.assertNotIn(theirs, listed)
        self.assertNotIn(waiting, listed)


@tagged("post_install", "-at_install")
class TestNextReminder(RelanceCase):
    def test_never_in_the_past(self):
        partner = self.customer()
        invoice = self.invoice(partner, 300.0, "2026-03-31")
        with freeze_time("2026-03-01"):
            invoice.invalidate_recordset(["relance_next_reminder_date"])
            self.assertEqual(str(invoice.relance_next_reminder_date), "2026-03-23")  # Prévenance, J-8
        self.run_on("2026-04-08")  # Premier rappel; Relance 1 at J+15
        with freeze_time("2026-04-10"):
            invoice.invalidate_recordset(["relance_next_reminder_date"])
            self.assertEqual(str(invoice.relance_next_reminder_date), "2026-04-15")
        # months later, nothing sent since: the step due long ago is due today, not in September
        with freeze_time("2026-12-04"):
            invoice.invalidate_recordset(["relance_next_reminder_date"])
            self.assertEqual(str(invoice.relance_next_date), "2026-04-15")
            self.assertEqual(str(invoice.relance_next_reminder_date), "2026-12-04")

    def test_not_before_the_minimum_gap(self):
        self.policies["standard"].min_gap_days = 10
        partner = self.customer()
        invoice = self.invoice(partner, 300.0, "2026-03-31")
        self.run_on("2026-04-08")  # Premier rappel; Relance 1 due at J+15, 7 days later
        with freeze_time("2026-04-09"):
            invoice.invalidate_recordset(["relance_next_reminder_date"])
            self.assertEqual(str(invoice.relance_next_reminder_date), "2026-04-18")

    def test_paid_invoice_has_none(self):
        partner = self.customer()
        invoice = self.invoice(partner, 300.0, "2026-03-31")
        self.pay(invoice)
        self.assertFalse(invoice.relance_next_reminder_date)


@tagged("post_install", "-at_install")
class TestScreenWords(RelanceCase):
    def test_the_timeline_opens_in_french(self):
        view = self.env.ref("relance_fr.res_partner_view_form")
        arch = (
            self.env["res.partner"]
            .with_context(lang="fr_FR")
            .get_views([(view.id, "form")])["views"]["form"]["arch"]
        )
        button = etree.fromstring(arch).xpath("//button[@name='action_open_source']")[0]
        self.assertEqual(button.get("string"), "Ouvrir")

    def test_one_name_per_figure(self):
        data = self.env["relance.analysis"].retrieve_dashboard()
        self.assertIsInstance(data["promises_open"], int)  # a count, apart from its amount
        self.assertIsInstance(data["promises_open_amount"], str)
        self.assertIsInstance(data["plans_active"], int)
        self.assertIsInstance(data["under_plan"], str)
        self.assertEqual(data["dso_label"], "DSO")
        fr_data = self.env["relance.analysis"].with_context(lang="fr_FR").retrieve_dashboard()
        self.assertEqual(fr_data["dso_label"], "DSO (délai moyen de paiement)")
        # one French name for the DSO, never "DMP"
        po = polib.pofile(str(Path(modules.get_module_path("relance_fr")) / "i18n" / "fr.po"))
        french = {entry.msgid: entry.msgstr for entry in po}
        self.assertEqual(french["DSO"], "DSO (délai moyen de paiement)")
        self.assertFalse([entry.msgstr for entry in po if "DMP" in entry.msgstr])
        # each figure of the dashboard says its period
        for tile in ("Overdue", "Open promises", "Amount promised", "Payment plans in progress"):
            self.assertIn(tile, french)
        self.assertEqual(french["last 12 months"], "12 derniers mois")
