"""Calls and tasks that don't pile up: one call to make per customer, no call for a customer
nobody can call, no outcome chosen in advance, one task per salesperson and customer in dunning,
and the decisions only an accounting manager may take asked of the validator."""

import importlib.util
from pathlib import Path

from odoo import Command
from odoo.addons.relance_fr import compat
from odoo.exceptions import UserError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import RelanceCase, text

MIGRATION = Path(__file__).parent.parent / "relance_fr/migrations/18.0.1.3.0/post-migrate.py"


@tagged("post_install", "-at_install")
class TestCalls(RelanceCase):
    def calls(self, partner):
        return self.Reminder.search([("partner_id", "=", partner.id), ("state", "=", "to_call")])

    def call_activities(self, partner):
        call = self.env.ref("mail.mail_activity_data_call")
        return self.Reminder.search([("partner_id", "=", partner.id)]).activity_ids.filtered(
            lambda a: a.activity_type_id == call
        )

    def test_a_newer_call_replaces_the_one_not_made(self):
        partner = self.customer("Menuiserie Leroy SARL", relance_channel="phone", phone="04 78 00 00 10")
        self.invoice(partner, 1200.0, "2026-03-31")
        first = self.run_on("2026-04-08")
        self.assertEqual((first.level_id.name, first.state), ("Premier rappel", "to_call"))
        # nobody called; a week later the next level is due: one call to make, the newer one
        second = self.run_on("2026-04-15")
        self.assertEqual((second.level_id.name, second.state), ("Relance 1", "to_call"))
        self.assertEqual(self.calls(partner), second)
        self.assertEqual(first.state, "cancel")
        self.assertIn(
            "Call not made: replaced by the call of Relance 1 – Menuiserie Leroy SARL of 15/04/2026.",
            " ".join(text(m.body) for m in first.message_ids),
        )
        self.assertEqual(self.call_activities(partner).res_id, second.id)
        self.assertEqual(len(self.call_activities(partner)), 1)

    def test_a_customer_without_any_phone_number_gets_the_email(self):
        partner = self.customer(
            "Garage Sans Téléphone SARL", relance_channel="phone", email="garage@client.fr"
        )
        self.assertFalse(partner.phone or compat.partner_mobile(partner))
        self.invoice(partner, 500.0, "2026-03-31")
        reminder = self.run_on("2026-04-08")
        self.assertEqual(
            (reminder.channel, reminder.state, reminder.mail_state), ("email", "to_send", "queued")
        )
        self.assertFalse(self.call_activities(partner))
        self.assertIn(
            "Garage Sans Téléphone SARL has no phone number: instead of a call, this reminder goes by email.",
            " ".join(text(m.body) for m in reminder.message_ids),
        )

    def test_a_call_level_without_a_phone_number_takes_the_scenarios_email(self):
        level = self.policies["standard"].level_ids.filtered(lambda lv: lv.name == "Premier rappel")
        level.channel = "phone"
        nobody = self.customer("Client Injoignable SAS")
        # a mobile number where the partner has one (18.0), else its only phone (19.0)
        number = "mobile" if "mobile" in nobody._fields else "phone"
        someone = self.customer("Client Joignable SAS", **{number: "06 12 34 56 78"})
        self.invoice(nobody, 300.0, "2026-03-31")
        self.invoice(someone, 300.0, "2026-03-31")
        reminders = self.run_on("2026-04-08")
        by_partner = {r.partner_id: r for r in reminders}
        self.assertEqual(by_partner[nobody].channel, "email")
        self.assertEqual(by_partner[someone].channel, "phone")

    def test_no_outcome_is_chosen_in_advance(self):
        partner = self.customer("Menuiserie Leroy SARL", relance_channel="phone", phone="04 78 00 00 10")
        self.invoice(partner, 1200.0, "2026-03-31")
        reminder = self.run_on("2026-04-08")
        with freeze_time("2026-04-09"):
            action = reminder.with_user(self.specialist).action_log_call()
            wizard = self.env["relance.call.wizard"].with_user(self.specialist).browse(action["res_id"])
            self.assertFalse(wizard.result_id)
            with self.assertRaisesRegex(UserError, "Choose its outcome"):
                wizard.action_confirm()
        self.assertEqual(reminder.state, "to_call")

    def test_a_call_before_the_due_date_asks_for_no_payment_date(self):
        partner = self.customer("Menuiserie Leroy SARL", relance_channel="phone", phone="04 78 00 00 10")
        invoice = self.invoice(partner, 1200.0, "2026-03-31")
        reminder = self.run_on("2026-03-23")  # Prévenance, J-8
        self.assertEqual((reminder.level_id.name, reminder.state), ("Prévenance", "to_call"))
        script = text(reminder.call_script)
        self.assertIn("courtesy call before the due date", script)
        self.assertIn(f"{invoice.name} (31/03/2026)", script)
        self.assertNotIn("Ask for a payment date", script)
        # after the due date, the call asks for one
        later = self.run_on("2026-04-08")
        self.assertIn("Ask for a payment date", text(later.call_script))


@tagged("post_install", "-at_install")
class TestSalespersonTask(RelanceCase):
    def test_one_task_per_salesperson_and_customer_brought_up_to_date(self):
        self.policies["standard"].skip_levels = True  # the level due at once
        salesperson = new_test_user(
            self.env, "vendeur.tache", groups="base.group_user", company_id=self.company.id
        )
        partner = self.customer(user_id=salesperson.id)
        other = self.customer("Épicerie Durand SARL", user_id=salesperson.id)
        self.invoice(partner, 300.0, "2026-03-31")
        self.invoice(other, 200.0, "2026-03-31")
        tasks = self.env["mail.activity"].search([("user_id", "=", salesperson.id)])
        for day, level in [("2026-04-30", "Relance 2"), ("2026-05-15", "Relance 3")]:
            self.run_on(day)
            tasks = self.env["mail.activity"].search([("user_id", "=", salesperson.id)])
            self.assertEqual(len(tasks), 2, day)  # one per customer
            task = tasks.filtered(lambda a: a.res_id == partner.id)
            self.assertEqual(task.summary, f"Customer in dunning: {level}")
            self.assertEqual(str(task.date_deadline), day)
            self.assertIn(level, text(task.note))
        self.assertEqual(tasks.activity_type_id, self.env.ref("relance_fr.mail_activity_type_dunning"))

    def test_the_upgrade_keeps_the_newest_task_of_each_salesperson_and_customer(self):
        """Tasks piled up before 18.0.1.3.0: the newest of each salesperson and customer stays."""
        spec = importlib.util.spec_from_file_location("relance_migration_1_3", MIGRATION)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        salesperson = new_test_user(
            self.env, "vendeur.ancien", groups="base.group_user", company_id=self.company.id
        )
        partner, other = self.customer(user_id=salesperson.id), self.customer("Épicerie Durand SARL")
        todo = self.env.ref("mail.mail_activity_data_todo")
        for record, summary, day in [
            (partner, "Client en relance : Relance 2", "2026-04-30"),
            (partner, "Client en relance : Relance 3", "2026-05-15"),
            (partner, "Customer in dunning: Mise en demeure", "2026-05-30"),
            (other, "Client en relance : Relance 2", "2026-04-30"),
        ]:
            record.activity_schedule(
                activity_type_id=todo.id, summary=summary, date_deadline=day, user_id=salesperson.id
            )
        partner.activity_schedule(
            activity_type_id=todo.id, summary="Rappeler le client", user_id=salesperson.id
        )
        self.assertEqual(migration.merge_salesperson_tasks(self.env), (2, 2))
        task_type = self.env.ref("relance_fr.mail_activity_type_dunning")
        tasks = (partner | other).activity_ids.filtered(lambda a: a.activity_type_id == task_type)
        self.assertEqual(
            sorted(tasks.mapped("summary")),
            ["Client en relance : Relance 2", "Customer in dunning: Mise en demeure"],
        )
        self.assertIn("Rappeler le client", partner.activity_ids.mapped("summary"))  # another to-do: kept


@tagged("post_install", "-at_install")
class TestValidator(RelanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = {"company_id": cls.company.id, "company_ids": cls.company.ids}
        cls.first_manager = new_test_user(
            cls.env, "val.first", groups="account.group_account_manager", **company
        )
        cls.chosen = new_test_user(cls.env, "val.chosen", groups="account.group_account_manager", **company)
        cls.billing = new_test_user(cls.env, "val.billing", groups="account.group_account_invoice", **company)

    def warning(self):
        return self.env["res.config.settings"].create({}).relance_validator_warning

    def test_never_a_technical_user_nor_one_without_the_right(self):
        technical = self.env.ref("base.user_root") | self.env.ref("base.user_admin")
        self.assertTrue(self.env.ref("base.user_admin").has_group("account.group_account_manager"))
        validator = self.company._relance_validator()
        self.assertEqual(len(validator), 1)
        self.assertNotIn(validator, technical)
        self.assertTrue(validator.has_group("account.group_account_manager"))
        self.assertFalse(validator.share)

    def test_an_empty_setting_is_said_in_the_settings_and_on_the_dashboard(self):
        self.company.relance_validator_id = False
        validator = self.company._relance_validator()
        said = (
            f"No Formal notice validator is set: formal notices, disputes and payment plans go to "
            f"{validator.name}, the first accounting manager. Choose who decides in the settings."
        )
        self.assertEqual(self.warning(), said)
        self.assertEqual(self.env["relance.analysis"].retrieve_dashboard()["validator_warning"], said)
        self.company.relance_validator_id = self.chosen
        self.assertFalse(self.warning())
        self.assertFalse(self.env["relance.analysis"].retrieve_dashboard()["validator_warning"])

    def test_a_validator_who_lost_the_right(self):
        self.company.relance_validator_id = self.chosen
        self.chosen[compat.USER_GROUPS] = [Command.unlink(self.env.ref("account.group_account_manager").id)]
        self.assertFalse(self.chosen.has_group("account.group_account_manager"))
        validator = self.company._relance_validator()
        self.assertNotEqual(validator, self.chosen)
        self.assertIn(
            f"{self.chosen.name}, set to validate formal notices, is no longer an accounting manager",
            self.warning(),
        )

    def test_the_formal_notice_and_the_dispute_go_to_the_validator(self):
        self.company.relance_validator_id = self.chosen
        self.policies["standard"].skip_levels = True
        partner = self.customer()
        self.invoice(partner, 900.0, "2026-03-31")
        notice = self.run_on("2026-05-30")
        self.assertEqual((notice.level_id.name, notice.state), ("Mise en demeure", "to_validate"))
        self.assertEqual(notice.activity_ids.user_id, self.chosen)
        other = self.invoice(partner, 400.0, "2026-06-30")
        with freeze_time("2026-06-01"):
            dispute = (
                self.env["relance.dispute"]
                .with_user(self.specialist)
                .create({"invoice_id": other.id, "reason": "quality"})
            )
        self.assertEqual(dispute.activity_ids.user_id, self.chosen)
