from unittest.mock import patch

from odoo.tests import freeze_time, new_test_user, tagged

from .common import RelanceCase, fr, text


@tagged("post_install", "-at_install")
class TestTimeline(RelanceCase):
    """Day by day, what each payer profile receives for one invoice due on 31/03/2026."""

    def timeline(self, profile):
        partner = self.customer(f"Client {profile}", profile=profile)
        inv = self.invoice(partner, 1234.56, "2026-03-31", invoice_date="2026-03-01")
        sent = []
        day = inv.invoice_date_due.replace(day=1)
        from datetime import timedelta

        day = inv.invoice_date_due - timedelta(days=10)
        while day <= inv.invoice_date_due + timedelta(days=70):
            for reminder in self.run_on(day):
                sent.append(((reminder.date - inv.invoice_date_due).days, reminder.level_id.name))
            day += timedelta(days=1)
        return partner, inv, sent

    def test_standard_timeline(self):
        _partner, inv, sent = self.timeline("standard")
        self.assertEqual(
            sent,
            [
                (-8, "Prévenance"),
                (8, "Premier rappel"),
                (15, "Relance 1"),
                (30, "Relance 2"),
                (45, "Relance 3"),
                (60, "Mise en demeure"),
            ],
        )
        # the formal notice waits for its validation: the invoice has received Relance 3 so far
        notice = inv.relance_reminder_ids.filtered(lambda r: r.state == "to_validate")
        self.assertEqual(inv.relance_level_id.name, "Relance 3")
        self.assertEqual(notice.partner_id.relance_level_id.name, "Relance 3")
        manager = new_test_user(self.env, "mgr.timeline", groups="account.group_account_manager")
        with freeze_time("2026-06-01"):
            self.validate(notice.with_user(manager))
        self.assertEqual(inv.relance_level_id.name, "Mise en demeure")
        self.assertEqual(str(inv.relance_last_date), "2026-06-01")  # the day it left
        self.assertFalse(inv.relance_next_date)

    def test_good_payer_timeline(self):
        _partner, _inv, sent = self.timeline("good")
        self.assertEqual([d for d, _ in sent], [-8, 10, 20, 35, 50, 65])

    def test_doubtful_timeline(self):
        _partner, _inv, sent = self.timeline("doubtful")
        self.assertEqual([d for d, _ in sent], [-8, 7, 14, 21, 28, 35])


@tagged("post_install", "-at_install")
class TestRunRules(RelanceCase):
    def test_running_twice_the_same_day_sends_nothing_new(self):
        partner = self.customer()
        self.invoice(partner, 500.0, "2026-03-31")
        first = self.run_on("2026-04-08")
        self.assertEqual(first.level_id.name, "Premier rappel")
        self.assertFalse(self.run_on("2026-04-08"))

    def test_skip_levels_sends_only_the_highest_due_level(self):
        self.policies["standard"].skip_levels = True
        partner = self.customer()
        inv = self.invoice(partner, 800.0, "2026-03-31")
        reminders = self.run_on("2026-05-05")  # 35 days late: Relance 2 is due
        self.assertEqual(reminders.level_id.name, "Relance 2")
        self.assertEqual(len(reminders), 1)
        body = text(self.emails(reminders).body)
        self.assertNotIn("précédentes relances", body)  # none went out: the text does not pretend
        self.assertIn("Les factures détaillées ci-dessous demeurent impayées", body)
        self.assertEqual(inv.relance_level_id.name, "Relance 2")
        self.assertEqual(str(inv.relance_next_date), "2026-05-15")  # Relance 3 at +45
        self.assertFalse(self.run_on("2026-05-12"))

    def test_three_invoices_one_reminder_listing_all(self):
        partner = self.customer("Garage Petit SARL")
        inv1 = self.invoice(partner, 1000.0, "2026-03-10")
        inv2 = self.invoice(partner, 2500.5, "2026-03-20")
        inv3 = self.invoice(partner, 99.99, "2026-04-02")
        reminders = self.run_on("2026-04-10")
        self.assertEqual(len(reminders), 1)
        reminder = reminders
        self.assertEqual(reminder.invoice_ids, inv1 | inv2 | inv3)
        # inv1 is 31 days late, but none was reminded yet: the first reminder, about all three
        self.assertEqual(reminder.level_id.name, "Premier rappel")
        self.assertEqual(reminder.level_invoice_ids, inv1 | inv2 | inv3)
        self.assertAlmostEqual(reminder.amount_due, 3600.49)
        body = text(self.emails(reminder).body)
        for inv in (inv1, inv2, inv3):
            self.assertIn(inv.name, body)
        self.assertIn(fr("3 600,49 €"), fr(body))

    def test_an_invoice_not_yet_due_is_not_claimed_with_overdue_ones(self):
        """A dunning level claims what is overdue: the invoice falling due in five days is not
        in its table nor its amount, and gets its own courtesy notice once the gap allows."""
        partner = self.customer("Atelier Durand SARL")
        overdue = self.invoice(partner, 1000.0, "2026-03-31")
        soon = self.invoice(partner, 300.0, "2026-04-20")
        reminder = self.run_on("2026-04-15")  # 15 days late, never reminded; the other one due in 5
        self.assertEqual(reminder.level_id.name, "Premier rappel")
        self.assertEqual(reminder.invoice_ids, overdue)
        self.assertAlmostEqual(reminder.amount_due, 1000.0)
        body = text(self.emails(reminder).body)
        self.assertNotIn(soon.name, body)
        self.assertFalse(soon.relance_level_id)
        self.assertFalse(self.run_on("2026-04-16"))  # the minimum gap
        # after the due date, its first reminder comes with the overdue one's next step, in the
        # message's part for the customer's other overdue invoices
        later = self.run_on("2026-04-30")
        self.assertEqual(later.level_id.name, "Relance 1")
        self.assertEqual(later.level_invoice_ids, overdue)
        self.assertEqual(later.invoice_ids, overdue | soon)
        self.assertEqual(soon.relance_level_id.name, "Premier rappel")

    def test_minimum_gap_between_two_reminders(self):
        partner = self.customer()
        self.invoice(partner, 100.0, "2026-03-31")
        self.invoice(partner, 200.0, "2026-04-05")
        self.assertEqual(self.run_on("2026-04-08").level_id.name, "Premier rappel")
        # the second invoice reaches Premier rappel on 13/04, less than 7 days later
        self.assertFalse(self.run_on("2026-04-13"))
        later = self.run_on("2026-04-15")
        self.assertEqual(later.level_id.name, "Relance 1")

    def test_excluded_invoice_and_customer(self):
        partner = self.customer()
        inv = self.invoice(partner, 100.0, "2026-03-31")
        inv.write({"relance_excluded": True, "relance_excluded_reason": "Litige sur la livraison"})
        self.assertFalse(self.run_on("2026-04-08"))
        other = self.customer("Client Exclu")
        self.invoice(other, 100.0, "2026-03-31")
        other.relance_excluded = True
        self.assertFalse(self.run_on("2026-04-09"))

    def test_paid_invoice_is_not_reminded(self):
        partner = self.customer()
        inv = self.invoice(partner, 100.0, "2026-03-31")
        self.pay(inv, day="2026-04-02")
        self.assertFalse(self.run_on("2026-04-08"))

    def test_credits_covering_the_overdue_amount_stop_the_reminder(self):
        partner = self.customer()
        self.invoice(partner, 100.0, "2026-03-31")
        self.invoice(partner, 150.0, "2026-03-31", move_type="out_refund")
        self.assertFalse(self.run_on("2026-04-08"))
        other = self.customer("Client Avoir Partiel")
        self.invoice(other, 300.0, "2026-03-31")
        self.invoice(other, 120.0, "2026-03-31", move_type="out_refund")
        reminder = self.run_on("2026-04-08")
        body = fr(text(self.emails(reminder).body))
        self.assertIn("120,00 €", body)  # deducted
        self.assertIn("180,00 €", body)  # net to pay

    def test_no_email_falls_back_to_letter(self):
        partner = self.customer(email=False)
        self.invoice(partner, 100.0, "2026-03-31")
        reminder = self.run_on("2026-04-08")
        self.assertEqual(reminder.channel, "letter")
        self.assertEqual(reminder.state, "to_print")
        self.assertTrue(reminder.letter_attachment_id)
        self.assertFalse(self.emails(reminder))
        self.assertIn("goes by letter", " ".join(reminder.message_ids.mapped("body")))

    def test_no_address_for_a_letter_is_an_error_and_the_run_goes_on(self):
        lost = self.customer("Sans Adresse", email=False, street=False)
        self.invoice(lost, 100.0, "2026-03-31")
        fine = self.customer("Avec Adresse")
        self.invoice(fine, 100.0, "2026-03-31")
        reminders = self.run_on("2026-04-08")
        by_partner = {r.partner_id: r for r in reminders}
        self.assertEqual(by_partner[lost].state, "error")
        self.assertIn("no complete postal address", by_partner[lost].error_message)
        # the email waits in Odoo's mail queue until the queue hands it to the SMTP server
        self.assertEqual((by_partner[fine].state, by_partner[fine].mail_state), ("to_send", "queued"))
        self.send_mails()
        self.assertEqual((by_partner[fine].state, by_partner[fine].mail_state), ("sent", "sent"))
        self.assertFalse(lost.invoice_ids.relance_level_id)

    def test_broken_template_is_an_error_and_the_run_goes_on(self):
        broken = self.customer("Modèle Cassé", profile="doubtful")
        self.invoice(broken, 100.0, "2026-03-31")
        fine = self.customer("Client Normal")
        self.invoice(fine, 100.0, "2026-03-31")
        self.policies["doubtful"].level_ids.filtered(lambda lv: lv.days == 7).mail_template_id = self.env[
            "mail.template"
        ].create(
            {
                "name": "Cassé",
                "model_id": self.env.ref("relance_fr.model_relance_reminder").id,
                "subject": "{{ object.no_such_field }}",
                "body_html": "<p>Bonjour</p>",
            }
        )
        reminders = self.run_on("2026-04-08")
        by_partner = {r.partner_id: r for r in reminders}
        self.assertEqual(by_partner[broken].state, "error")
        self.assertTrue(by_partner[broken].error_message)
        self.assertEqual(by_partner[fine].state, "to_send")

    def test_a_serialization_failure_stops_the_batch_instead_of_erring_its_customers(self):
        """Another transaction in the way is no customer's error: the run stops and its batch is
        rolled back whole, to be done again at the cron's next call, nothing sent and no
        customer in error."""
        from psycopg2.errors import SerializationFailure

        from odoo.addons.relance_fr.models.relance_reminder import RelanceReminder

        customers = self.customer("Client Un") | self.customer("Client Deux")
        for customer in customers:
            self.invoice(customer, 100.0, "2026-03-31")
        original = RelanceReminder._relance_process_one

        def process_one(reminder):
            if reminder.partner_id == customers[1]:
                raise SerializationFailure("could not serialize access due to concurrent update")
            return original(reminder)

        with (
            patch.object(RelanceReminder, "_relance_process_one", process_one),
            self.assertRaises(SerializationFailure),
        ):
            self.run_on("2026-04-08")
        # rolled back whole (as the cron's transaction is)
        self.assertFalse(self.Reminder.search([("partner_id", "in", customers.ids)]))
        self.assertFalse(customers.invoice_ids.relance_level_id)

    def test_amounts_are_written_as_odoo_writes_them_in_french(self):
        from odoo.tools import format_amount

        reminder = self.env["relance.reminder"].new({"company_id": self.company.id})
        usd = self.env.ref("base.USD")
        for amount in (0.0, 0.005, 12.345, 1234.56, -1234.56, 1234567.891, 40.0):
            for currency in (reminder.currency_id, usd):
                self.assertEqual(
                    reminder._fmt_amount(amount, currency), format_amount(self.env, amount, currency, "fr_FR")
                )

    def test_unforeseen_database_failure_is_an_error_and_the_run_goes_on(self):
        """A failure no check foresaw (here a real SQL error) undoes the batch's pass, which is
        done again customer by customer: only the failing customer ends in error."""
        from odoo.addons.relance_fr.models.relance_reminder import RelanceReminder

        failing = self.customer("Client Fautif")
        fail_inv = self.invoice(failing, 100.0, "2026-03-31")
        fine = self.customer("Client Normal")
        fine_inv = self.invoice(fine, 100.0, "2026-03-31")
        original = RelanceReminder._relance_process_one

        def process_one(reminder):
            if reminder.partner_id == failing:
                reminder.env.cr.execute("SELECT 1 / 0")
            return original(reminder)

        with patch.object(RelanceReminder, "_relance_process_one", process_one):
            reminders = self.run_on("2026-04-08")
        by_partner = {r.partner_id: r for r in reminders}
        self.assertEqual(len(reminders), 2)
        self.assertEqual(by_partner[failing].state, "error")
        self.assertIn("division by zero", by_partner[failing].error_message)
        self.assertFalse(self.emails(by_partner[failing]))
        self.assertFalse(fail_inv.relance_level_id)
        self.assertEqual(by_partner[fine].state, "to_send")
        self.assertEqual(len(self.emails(by_partner[fine])), 1)
        self.assertEqual(fine_inv.relance_level_id.name, "Premier rappel")

    def test_penalties_for_a_professional_not_for_a_consumer(self):
        self.policies["standard"].skip_levels = True  # the level due at once
        pro = self.customer("Menuiserie Roux SAS")
        consumer = self.customer("Jean Dupuis", is_company=False, vat=False)
        inv_pro = self.invoice(pro, 1000.0, "2026-03-31")
        self.invoice(consumer, 1000.0, "2026-03-31")
        reminders = self.run_on("2026-04-15")  # Relance 1, 15 days late
        by_partner = {r.partner_id: r for r in reminders}
        # 40 € + 1000 × 12.15 % × 15 / 365 = 40 + 4.99
        self.assertAlmostEqual(by_partner[pro].penalty_amount, 44.99)
        self.assertEqual(by_partner[consumer].penalty_amount, 0.0)
        body = fr(text(self.emails(by_partner[pro]).body))
        self.assertIn("40,00 €", body)
        self.assertIn("4,99 €", body)
        self.assertIn("12,15 %", body)
        self.assertNotIn("40,00 €", fr(text(self.emails(by_partner[consumer]).body)))
        self.assertEqual(inv_pro.relance_level_id.name, "Relance 1")

    def test_relance_3_suspends_and_payment_lifts(self):
        self.policies["standard"].skip_levels = True  # the level due at once
        partner = self.customer()
        inv = self.invoice(partner, 300.0, "2026-03-31")
        reminder = self.run_on("2026-05-15")
        self.assertEqual(reminder.level_id.name, "Relance 3")
        self.assertTrue(partner.relance_suspended)
        self.pay(inv, day="2026-05-20")
        self.assertFalse(partner.relance_suspended)

    def test_formal_notice_waits_for_a_manager(self):
        self.policies["standard"].skip_levels = True  # the level due at once
        partner = self.customer()
        self.invoice(partner, 300.0, "2026-03-31")
        reminder = self.run_on("2026-05-30")
        self.assertEqual(reminder.level_id.name, "Mise en demeure")
        self.assertEqual(reminder.state, "to_validate")
        self.assertFalse(self.emails(reminder))
        # asked of an accounting manager, never of the billing specialist who cannot give it
        self.assertTrue(reminder.activity_ids.user_id.has_group("account.group_account_manager"))
        billing = new_test_user(
            self.env, "billing.rel", groups="account.group_account_invoice", company_id=self.company.id
        )
        from odoo.exceptions import UserError

        with self.assertRaises(UserError):
            self.validate(reminder.with_user(billing))
        manager = new_test_user(
            self.env, "manager.rel", groups="account.group_account_manager", company_id=self.company.id
        )
        self.validate(reminder.with_user(manager))
        self.assertEqual(reminder.state, "to_print")
        self.assertEqual(reminder.channel, "registered_letter")
        self.assertTrue(reminder.letter_attachment_id)

    def test_salesperson_is_told_from_relance_2(self):
        self.policies["standard"].skip_levels = True  # the level due at once
        salesperson = new_test_user(self.env, "vendeur", groups="base.group_user", company_id=self.company.id)
        partner = self.customer(user_id=salesperson.id)
        self.invoice(partner, 300.0, "2026-03-31")
        self.run_on("2026-04-15")  # Relance 1: not yet
        self.assertFalse(partner.activity_ids.filtered(lambda a: a.user_id == salesperson))
        self.run_on("2026-04-30")  # Relance 2
        activity = partner.activity_ids.filtered(lambda a: a.user_id == salesperson)
        self.assertEqual(len(activity), 1)
        self.assertIn("Relance 2", activity.summary)
        self.assertIn(salesperson.partner_id, partner.message_ids[0].partner_ids)


@tagged("post_install", "-at_install")
class TestMessages(RelanceCase):
    def test_first_reminder_reads_right(self):
        partner = self.customer("Boulangerie Martin SARL")
        contact = self.env["res.partner"].create(
            {
                "name": "Sophie Martin",
                "type": "invoice",
                "parent_id": partner.id,
                "email": "sophie@boulangerie-martin.fr",
            }
        )
        inv = self.invoice(partner, 1234.56, "2026-03-31", invoice_date="2026-03-01")
        reminder = self.run_on("2026-04-08")
        message = self.emails(reminder)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.partner_ids, contact)
        self.assertIn("Rappel", message.subject)
        self.assertIn("Boulangerie Martin SARL", message.subject)
        body = fr(text(message.body))
        for fact in (
            inv.name,
            "Sophie Martin",
            "1 234,56 €",
            "31/03/2026",
            "01/03/2026",
            "FR76 3000 6000 0112 3456 7890 189",
            "Claire Martin",
            "claire.martin@atelier-dupont.fr",
            "04 72 00 00 01",
            partner._relance_portal_url(),  # the customer's page
        ):
            self.assertIn(fact, body)
        self.assertNotIn("{{", body)
        self.assertNotIn("False", body)
        self.assertTrue(message.attachment_ids)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(mail.recipient_ids, contact)

    def test_each_email_of_a_batch_has_its_own_facts(self):
        """One template renders the emails of the whole batch: each keeps its customer's facts."""
        customers = [self.customer(name) for name in ("Fromagerie Blanc", "Imprimerie Noir", "Verrerie Gris")]
        invoices = [
            self.invoice(c, amount, "2026-03-31")
            for c, amount in zip(customers, (111.0, 222.0, 333.0), strict=False)
        ]
        reminders = self.run_on("2026-04-08")
        self.assertEqual(len(reminders), 3)
        for customer, inv, amount in zip(
            customers, invoices, ("111,00 €", "222,00 €", "333,00 €"), strict=False
        ):
            reminder = reminders.filtered(lambda r, c=customer: r.partner_id == c)
            body = fr(text(self.emails(reminder).body))
            self.assertIn(customer.name, body)
            self.assertIn(inv.name, body)
            self.assertIn(amount, body)
            for other in set(customers) - {customer}:
                self.assertNotIn(other.name, body)

    def test_relance_3_lists_earlier_reminders(self):
        partner = self.customer()
        self.invoice(partner, 500.0, "2026-03-31")
        for day in ("2026-04-08", "2026-04-15", "2026-04-30", "2026-05-15"):
            reminder = self.run_on(day)
            self.send_mails()  # only what went out is listed as sent before
        body = fr(text(self.emails(reminder).body))
        self.assertIn("suspendre votre compte", body)
        for date_fr in ("08/04/2026", "15/04/2026", "30/04/2026"):
            self.assertIn(date_fr, body)

    def test_formal_notice_message(self):
        self.policies["standard"].skip_levels = True  # the level due at once
        partner = self.customer()
        inv = self.invoice(partner, 2000.0, "2026-03-31")
        self.run_on("2026-05-15")
        reminder = self.run_on("2026-05-30")
        manager = new_test_user(
            self.env, "manager.fn", groups="account.group_account_manager", company_id=self.company.id
        )
        with freeze_time("2026-06-02"):  # validated three days after the run
            self.validate(reminder.with_user(manager))
        self.assertEqual(str(reminder.date), "2026-06-02")
        body = fr(
            text(reminder.level_id.mail_template_id._render_field("body_html", reminder.ids)[reminder.id])
        )
        self.assertIn("mettons en demeure", body)
        self.assertNotIn("1231-6", body)  # between professionals: L441-10 penalties, à parfaire
        self.assertNotIn("courent à compter de sa réception", body)
        self.assertIn("depuis le lendemain de l'échéance de chaque facture", body)
        self.assertIn("17 juin 2026", body)  # the day it leaves + 15 jours, a Wednesday
        self.assertIn(inv.name, body)
        self.assertIn("2 000,00 €", body)

    def test_send_wizard_from_the_invoice(self):
        partner = self.customer()
        inv = self.invoice(partner, 750.0, "2026-03-31")

        with freeze_time("2026-04-09"):
            action = inv.with_company(self.company).action_relance_send()
            wizard = self.env["relance.reminder.send"].browse(action["res_id"])
            self.assertEqual(wizard.level_id.name, "Premier rappel")
            self.assertIn(inv.name, text(wizard.body_html))
            wizard.action_send()
        self.assertEqual(inv.relance_level_id.name, "Premier rappel")
        self.assertEqual(inv.relance_reminder_ids.state, "to_send")  # in Odoo's mail queue
        # the daily run the same day does not send it again
        self.assertFalse(self.run_on("2026-04-09"))
        with freeze_time("2026-04-10"):
            action = inv.with_company(self.company).action_relance_send()
            wizard = self.env["relance.reminder.send"].browse(action["res_id"])
            self.assertFalse(wizard.reminder_id)
            self.assertTrue(wizard.info)
