"""The other parts of a reminder's history: calls, errors done again, letters without an
address, acknowledgments of receipt, the customer's channel and its upgrade step."""

import importlib.util
from pathlib import Path

from odoo.exceptions import UserError
from odoo.tests import Form, freeze_time, new_test_user, tagged
from odoo.tools import SQL

from .common import RelanceCase, text

MIGRATION = Path(__file__).parent.parent / "relance_fr/migrations/18.0.1.2.0/post-migrate.py"


@tagged("post_install", "-at_install")
class TestStates(RelanceCase):
    def notes(self, reminder):
        return " ".join(text(m.body) for m in reminder.message_ids if m.message_type == "notification")

    def test_a_phone_reminder_is_to_call_until_the_call_is_done(self):
        partner = self.customer(relance_channel="phone", phone="04 78 00 00 10")
        self.invoice(partner, 300.0, "2026-03-31")
        reminder = self.run_on("2026-04-08")
        self.assertEqual((reminder.channel, reminder.state), ("phone", "to_call"))
        call = reminder.activity_ids
        self.assertEqual(call.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        call.with_user(self.specialist).action_feedback(feedback="Paiement promis pour le 20/04")
        self.assertEqual(reminder.state, "sent")

    def test_one_error_per_customer_done_again_by_the_next_run(self):
        partner = self.customer("Sans Adresse", email=False, street=False)
        inv = self.invoice(partner, 100.0, "2026-03-31")
        first = self.run_on("2026-04-08")
        self.assertEqual(first.state, "error")
        for day in ("2026-04-09", "2026-04-10"):
            self.assertFalse(self.run_on(day))  # no new reminder: the same one, retried
            self.assertEqual((first.state, str(first.date)), ("error", day))
        self.assertEqual(self.Reminder.search_count([("partner_id", "=", partner.id)]), 1)
        self.assertIn("Done again after the error", self.notes(first))
        # the cause fixed: the next run sends it
        partner.street = "5 place Bellecour"
        self.assertFalse(self.run_on("2026-04-11"))
        self.assertEqual((first.state, first.channel, str(first.date)), ("to_print", "letter", "2026-04-11"))
        self.assertFalse(first.error_message)
        self.assertTrue(first.letter_attachment_id)
        self.assertEqual(inv.relance_level_id.name, "Premier rappel")

    def test_retry_button_once_the_cause_is_fixed(self):
        partner = self.customer("Sans Adresse", email=False, street=False)
        self.invoice(partner, 100.0, "2026-03-31")
        reminder = self.run_on("2026-04-08")
        billing = new_test_user(
            self.env, "billing.retry", groups="account.group_account_invoice", company_id=self.company.id
        )
        with freeze_time("2026-04-08"):
            reminder.with_user(billing).action_retry()  # not fixed yet: the same error
            self.assertEqual(reminder.state, "error")
            partner.street = "5 place Bellecour"
            reminder.with_user(billing).action_retry()
        self.assertEqual((reminder.state, reminder.channel), ("to_print", "letter"))
        with self.assertRaises(UserError):
            reminder.action_retry()  # only errors

    def test_an_error_overtaken_by_a_higher_level_is_cancelled(self):
        self.policies["standard"].skip_levels = True  # the level due at once
        partner = self.customer("Sans Adresse", email=False, street=False)
        self.invoice(partner, 100.0, "2026-03-31")
        first = self.run_on("2026-04-08")
        later = self.run_on("2026-04-15")  # nobody ran it in between: Relance 1 is due now
        self.assertEqual((later.level_id.name, later.state), ("Relance 1", "error"))
        self.assertEqual(first.state, "cancel")
        self.assertIn("takes its place", self.notes(first))
        self.assertEqual(
            self.Reminder.search_count([("partner_id", "=", partner.id), ("state", "=", "error")]), 1
        )

    def test_email_and_letter_without_an_address_sends_the_email(self):
        self.policies["standard"].skip_levels = True  # the level due at once
        partner = self.customer(email="compta@client.fr", street=False)
        inv = self.invoice(partner, 500.0, "2026-03-31")
        reminder = self.run_on("2026-04-15")  # Relance 1: email and letter
        self.assertEqual(
            (reminder.channel, reminder.state, reminder.mail_state), ("email", "to_send", "queued")
        )
        self.assertEqual(len(self.emails(reminder)), 1)
        self.assertIn("the letter of this level is missing", self.notes(reminder))
        self.assertEqual(inv.relance_level_id.name, "Relance 1")

    def test_a_customer_channel_is_empty_by_default_and_the_level_decides(self):
        self.policies["standard"].skip_levels = True  # the level due at once
        partner = self.customer(email="compta@client.fr")
        self.assertFalse(partner.relance_channel)
        self.invoice(partner, 500.0, "2026-03-31")
        reminder = self.run_on("2026-04-15")
        self.assertEqual(reminder.channel, "email_letter")  # Relance 1 as the scenario says
        self.assertTrue(reminder.letter_attachment_id)
        chosen = self.customer("Client Courriel", relance_channel="email")
        self.invoice(chosen, 500.0, "2026-03-31")
        self.assertEqual(self.run_on("2026-04-16").channel, "email")

    def test_cancelling_a_queued_reminder_keeps_its_email_from_leaving(self):
        partner = self.customer(email="compta@client.fr")
        self.invoice(partner, 500.0, "2026-03-31")
        reminder = self.run_on("2026-04-08")
        reminder.action_cancel()
        self.assertEqual(reminder.mail_ids.state, "cancel")
        self.assertFalse(self.send_mails().received)
        self.assertEqual(reminder.state, "cancel")


@tagged("post_install", "-at_install")
class TestReceipts(RelanceCase):
    def formal_notice(self, partner):
        self.invoice(partner, 2000.0, "2026-03-31")
        self.run_on("2026-05-15")
        reminder = self.run_on("2026-05-30")
        manager = new_test_user(
            self.env, "manager.ar", groups="account.group_account_manager", company_id=self.company.id
        )
        with freeze_time("2026-05-30"):  # validated the day the run made it
            self.validate(reminder.with_user(manager))
        return reminder

    def wizard(self, reminder):
        return Form(
            self.env["relance.letter.tracking"].with_context(
                active_model="relance.reminder", active_ids=reminder.ids
            )
        )

    def test_the_formal_notice_delay_counts_from_the_delivery(self):
        self.policies["standard"].skip_levels = True  # the level due at once
        reminder = self.formal_notice(self.customer())
        # 30 May + 15 days is Sunday 14 June: the next working day
        self.assertEqual(str(reminder.deadline_date), "2026-06-15")
        with freeze_time("2026-05-30"):  # posted the same day
            form = self.wizard(reminder)
            with form.line_ids.edit(0) as line:
                line.tracking_number = "1A 000 111 2222 3"
            form.save().action_confirm()
        self.assertEqual(reminder.state, "sent")
        # the acknowledgment of receipt comes back: the same wizard on the posted letter
        form = self.wizard(reminder)
        with form.line_ids.edit(0) as line:
            line.delivery_date = "2026-06-03"
            line.delivery_status = "unclaimed"  # pli avisé et non réclamé: first presentation
        form.save().action_confirm()
        self.assertEqual((str(reminder.delivery_date), reminder.delivery_status), ("2026-06-03", "unclaimed"))
        self.assertEqual(str(reminder.deadline_date), "2026-06-18")
        self.assertIn("18 juin 2026", reminder._relance_values()["deadline"])
        self.assertIn("Acknowledgment of receipt", reminder.message_ids[0].body)
        # a letter returned as undeliverable was never presented: from its posting again (30 May
        # + 15 days, Sunday 14 June: the next working day)
        reminder.delivery_status = "address_unknown"
        self.assertEqual(str(reminder.deadline_date), "2026-06-15")

    def test_a_receipt_needs_its_date_and_outcome(self):
        self.policies["standard"].skip_levels = True  # the level due at once
        reminder = self.formal_notice(self.customer())
        form = self.wizard(reminder)
        with form.line_ids.edit(0) as line:
            line.tracking_number = "1A 000 111 2222 3"
            line.delivery_status = "delivered"
        with self.assertRaises(UserError):
            form.save().action_confirm()
        self.assertEqual(reminder.state, "to_print")


@tagged("post_install", "-at_install")
class TestChannelMigration(RelanceCase):
    def test_the_old_default_is_emptied_where_nobody_chose_it(self):
        spec = importlib.util.spec_from_file_location("relance_migration_1_2", MIGRATION)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        untouched, edited, phone, old = (
            self.customer(name)
            for name in ("Jamais Modifié", "Modifié Depuis", "Au Téléphone", "Ancien Client")
        )
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(
            SQL(
                "UPDATE res_partner SET relance_channel = 'email', write_date = create_date WHERE id IN %s",
                (untouched.id, edited.id, old.id),
            )
        )
        cr.execute(
            SQL("UPDATE res_partner SET write_date = create_date + interval '1 day' WHERE id = %s", edited.id)
        )
        # a customer created and edited before the field existed: the installation filled it in
        cr.execute(
            SQL(
                "UPDATE res_partner SET create_date = '2020-01-01', write_date = '2020-02-01' WHERE id = %s",
                old.id,
            )
        )
        cr.execute(SQL("UPDATE res_partner SET relance_channel = 'phone' WHERE id = %s", phone.id))
        migration.empty_default_channel(cr)
        self.env.invalidate_all()
        self.assertEqual(
            [p.relance_channel for p in (untouched, edited, phone, old)], [False, "email", "phone", False]
        )
