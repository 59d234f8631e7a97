"""Every message true on the day it leaves: levels climbed one at a time, what a message lists,
formal notices built when validated, letters, public buyers, and a history nobody edits."""

from freezegun import freeze_time

from odoo import Command
from odoo.addons.relance_fr import compat
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import RelanceCase, fr, text
from .test_letters import LetterCase, pages


@tagged("post_install", "-at_install")
class TestOneLevelAtATime(RelanceCase):
    def test_first_day_on_an_existing_ledger_starts_with_the_first_reminder(self):
        """A company starting with the module: an invoice found 95 days late gets the first
        reminder, worded as a first message, then climbs one level a week."""
        partner = self.customer("Menuiserie Leroy SARL")
        inv = self.invoice(partner, 1200.0, "2026-01-01")
        first = self.run_on("2026-04-06")
        self.send_mails()  # Odoo's mail queue hands it to the SMTP server: received
        self.assertEqual(first.level_id.name, "Premier rappel")
        self.assertEqual(inv.relance_level_id.name, "Premier rappel")
        body = text(self.emails(first).body)
        self.assertIn(inv.name, body)
        self.assertNotIn("sans réponse", body)
        self.assertNotIn("précédent", body)
        self.assertNotIn("simple oubli", body)  # 95 days late is no oversight
        self.assertFalse(self.run_on("2026-04-12"))  # the minimum gap
        second = self.run_on("2026-04-13")
        self.assertEqual(second.level_id.name, "Relance 1")
        body = text(self.emails(second).body)
        self.assertIn("Malgré notre précédent rappel", body)
        self.assertEqual(self.run_on("2026-04-20").level_id.name, "Relance 2")
        self.assertEqual(self.run_on("2026-04-27").level_id.name, "Relance 3")
        notice = self.run_on("2026-05-04")
        self.assertEqual(notice.level_id.name, "Mise en demeure")
        self.assertEqual(notice.state, "to_validate")

    def test_skip_levels_sends_the_level_due(self):
        self.policies["standard"].skip_levels = True
        partner = self.customer("Menuiserie Leroy SARL")
        self.invoice(partner, 1200.0, "2026-01-01")
        reminder = self.run_on("2026-04-06")
        self.assertEqual(reminder.level_id.name, "Mise en demeure")
        self.assertEqual(reminder.state, "to_validate")

    def test_other_overdue_invoices_are_listed_in_their_own_part(self):
        partner = self.customer("Garage Petit SARL")
        old = self.invoice(partner, 1000.0, "2026-03-01")
        self.run_on("2026-03-09")
        self.run_on("2026-03-16")
        self.assertEqual(old.relance_level_id.name, "Relance 1")
        new = self.invoice(partner, 300.0, "2026-03-20")
        reminder = self.run_on("2026-04-01")
        self.assertEqual(reminder.level_id.name, "Relance 2")
        self.assertEqual(reminder.level_invoice_ids, old)
        self.assertEqual(reminder.invoice_ids, old | new)
        body = text(self.emails(reminder).body)
        about, others = body.split("Factures récemment échues")  # fell due since: apart
        self.assertIn(old.name, about)
        self.assertNotIn(new.name, about)
        self.assertIn(new.name, others)
        self.assertIn(fr("1 300,00 €"), fr(body))  # the total covers both
        # the new invoice received its first reminder with this message, at its own stage
        self.assertEqual(new.relance_level_id.name, "Premier rappel")
        self.assertEqual(old.relance_level_id.name, "Relance 2")

    def test_a_courtesy_notice_lists_only_invoices_not_yet_due(self):
        # one ladder per invoice: a courtesy notice for a new invoice beside an overdue one
        # (the account escalating as one sends nothing lower than its stage: tests/test_story.py)
        self.policies["standard"].escalation = "invoice"
        partner = self.customer("Garage Petit SARL")
        self.policies["standard"].skip_levels = True
        late = self.invoice(partner, 1000.0, "2026-02-01")
        notice = self.run_on("2026-04-06")  # 64 days: formal notice, waiting for validation
        self.assertEqual(notice.state, "to_validate")
        soon = self.invoice(partner, 400.0, "2026-04-21")
        courtesy = self.run_on("2026-04-13")
        self.assertEqual(courtesy.level_id.name, "Prévenance")
        self.assertEqual(courtesy.invoice_ids, soon)
        body = text(self.emails(courtesy).body)
        self.assertIn(soon.name, body)
        self.assertNotIn(late.name, body)

    def test_a_scenario_without_dunning_level_is_refused(self):
        policy = self.policies["standard"]
        with self.assertRaisesRegex(ValidationError, "no level after the due date"):
            policy.write({"level_ids": [Command.unlink(lv.id) for lv in policy.level_ids if lv.days > 0]})


@tagged("post_install", "-at_install")
class TestCurrencies(RelanceCase):
    def test_a_dollar_debt_is_claimed_in_dollars(self):
        usd = self.setup_other_currency("USD", rates=[("2026-01-01", 1.08)])
        partner = self.customer("Pacific Trading Inc", country_id=self.env.ref("base.us").id)
        inv = self.invoice(partner, 1000.0, "2026-03-01", post=False)
        inv.currency_id = usd
        with freeze_time(inv.invoice_date):
            inv.action_post()
        reminder = self.run_on("2026-03-16")  # Premier rappel (first message)
        body = fr(text(self.emails(reminder).body))
        self.assertIn(fr("Total restant dû $ 1 000,00"), body)
        self.assertNotIn("€", body.split("Total restant dû")[1].split("Pour régler")[0])

    def test_a_customer_owing_in_two_currencies_gets_one_total_each(self):
        usd = self.setup_other_currency("USD", rates=[("2026-01-01", 1.08)])
        partner = self.customer("Pacific Trading Inc")
        self.invoice(partner, 1000.0, "2026-03-01")
        inv = self.invoice(partner, 500.0, "2026-03-02", post=False)
        inv.currency_id = usd
        with freeze_time(inv.invoice_date):
            inv.action_post()
        reminder = self.run_on("2026-03-16")
        body = fr(text(self.emails(reminder).body))
        self.assertIn(fr("Total restant dû 1 000,00 € + $ 500,00"), body)
        notes = " ".join(text(m.body) for m in reminder.message_ids)
        self.assertIn("several currencies (EUR, USD)", notes)


@tagged("post_install", "-at_install")
class TestBuiltOnTheDayItLeaves(LetterCase):
    def test_formal_notice_validated_twenty_days_late_after_a_partial_payment(self):
        self.policies["standard"].skip_levels = True
        partner = self.customer("Garage Petit SARL")
        big = self.invoice(partner, 3000.0, "2026-01-10")
        small = self.invoice(partner, 500.0, "2026-01-20")
        notice = self.run_on("2026-04-01")
        self.assertEqual(notice.level_id.name, "Mise en demeure")
        self.assertEqual(notice.invoice_ids, big | small)
        self.assertEqual(notice.activity_ids.user_id.has_group("account.group_account_manager"), True)
        self.pay(small, day="2026-04-10")
        self.pay(big, amount=1000.0, day="2026-04-15")
        with freeze_time("2026-04-21"):
            self.validate(notice.with_context(force_report_rendering=True))
        self.assertEqual(str(notice.date), "2026-04-21")
        self.assertEqual(notice.invoice_ids, big)
        self.assertAlmostEqual(notice.amount_due, 2000.0)
        letter = " ".join(pages(notice.letter_attachment_id.raw))
        self.assertIn("Lyon, le 21 avril 2026", letter)
        self.assertIn("15 jours à compter de la première présentation de la présente lettre", letter)
        self.assertIn(big.name, letter)
        self.assertNotIn(small.name, letter)
        self.assertIn("2 000,00 €", letter)
        self.assertIn("40 € × 1 facture", letter)

    def test_formal_notice_validated_after_a_promise_leaves_the_promised_invoice_out(self):
        self.policies["standard"].skip_levels = True
        partner = self.customer("Garage Petit SARL")
        big = self.invoice(partner, 3000.0, "2026-01-10")
        small = self.invoice(partner, 500.0, "2026-01-20")
        notice = self.run_on("2026-04-01")
        self.assertEqual(notice.invoice_ids, big | small)
        with freeze_time("2026-04-08"):
            self.env["relance.promise"].with_user(self.specialist).create(
                {"partner_id": partner.id, "invoice_ids": small.ids, "date": "2026-04-20"}
            )
        with freeze_time("2026-04-10"):
            self.validate(notice.with_context(force_report_rendering=True))
        self.assertEqual((notice.invoice_ids, notice.level_invoice_ids), (big, big))
        self.assertAlmostEqual(notice.amount_due, 3000.0)
        letter = " ".join(pages(notice.letter_attachment_id.raw))
        self.assertIn(big.name, letter)
        self.assertNotIn(small.name, letter)
        notes = " ".join(text(m.body) for m in notice.message_ids)
        self.assertIn(f"{small.name} under a promise to pay since, no longer listed", notes)

    def test_formal_notice_validated_after_a_payment_plan_leaves_the_plan_invoice_out(self):
        self.policies["standard"].skip_levels = True
        partner = self.customer("Garage Petit SARL")
        big = self.invoice(partner, 3000.0, "2026-01-10")
        small = self.invoice(partner, 600.0, "2026-01-20")
        notice = self.run_on("2026-04-01")
        with freeze_time("2026-04-08"):
            plan = (
                self.env["relance.plan"]
                .with_user(self.specialist)
                .create(
                    {
                        "partner_id": partner.id,
                        "invoice_ids": small.ids,
                        "installment_count": 2,
                        "frequency": "monthly",
                        "first_date": "2026-04-15",
                    }
                )
            )
            plan.action_confirm()
        with freeze_time("2026-04-10"):
            self.validate(notice.with_context(force_report_rendering=True))
        self.assertEqual(notice.invoice_ids, big)
        self.assertNotIn(small.name, " ".join(pages(notice.letter_attachment_id.raw)))
        notes = " ".join(text(m.body) for m in notice.message_ids)
        self.assertIn(f"{small.name} under a payment plan since, no longer listed", notes)

    def test_a_waiting_notice_whose_invoices_are_all_promised_is_cancelled_by_the_next_run(self):
        self.policies["standard"].skip_levels = True
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 3000.0, "2026-01-10")
        notice = self.run_on("2026-04-01")
        with freeze_time("2026-04-02"):
            self.env["relance.promise"].with_user(self.specialist).create(
                {"partner_id": partner.id, "invoice_ids": inv.ids, "date": "2026-04-15"}
            )
        self.assertFalse(self.run_on("2026-04-03"))
        self.assertEqual(notice.state, "cancel")
        self.assertFalse(notice.activity_ids)
        self.assertEqual(
            text(notice.message_ids[0].body),
            f"Cancelled: nothing is left to ask. {inv.name} under a promise to pay since.",
        )

    def test_a_waiting_reminder_whose_invoices_are_paid_is_cancelled_by_the_next_run(self):
        self.policies["standard"].skip_levels = True
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 3000.0, "2026-01-10")
        notice = self.run_on("2026-04-01")
        self.pay(inv, day="2026-04-03")
        self.run_on("2026-04-04")
        self.assertEqual(notice.state, "cancel")
        self.assertFalse(notice.activity_ids)
        self.assertIn("paid meanwhile", text(notice.message_ids[0].body))

    def test_the_print_queue_holds_one_letter_per_customer(self):
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 1000.0, "2026-03-01")
        for day in ("2026-03-09", "2026-03-16"):
            self.run_on(day)
            self.send_mails()
        relance_1 = self.Reminder.search([("partner_id", "=", partner.id), ("state", "=", "to_print")])
        self.assertEqual(relance_1.level_id.name, "Relance 1")  # email sent, letter not posted
        relance_2 = self.run_on("2026-03-31")
        self.assertEqual(relance_2.state, "to_print")
        queue = self.Reminder.search([("partner_id", "=", partner.id), ("state", "=", "to_print")])
        self.assertEqual(queue, relance_2)
        self.assertEqual(relance_1.state, "sent")  # its email went; its letter will not be posted
        self.assertEqual(relance_1.channel, "email")
        self.assertIn("Letter not posted", text(relance_1.message_ids[0].body))
        self.assertEqual(inv.relance_level_id.name, "Relance 2")

    def test_a_registered_letter_is_posted_only_with_its_tracking_number(self):
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 1000.0, "2026-03-01")
        reminder = self.reminder(partner, inv, level="Relance 2")
        with self.assertRaisesRegex(UserError, "tracking number"):
            reminder.action_mark_sent()
        reminder.tracking_number = "1A 234 567 8901 2"
        reminder.action_mark_sent()
        self.assertEqual(reminder.state, "sent")

    def test_a_sent_reminder_is_frozen(self):
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 1000.0, "2026-03-01")
        other = self.invoice(partner, 200.0, "2026-03-05")
        reminder = self.reminder(partner, inv | other, level="Relance 1", state="sent")
        billing = new_test_user(
            self.env,
            login="claire.billing",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            reminder.with_user(billing).write({"invoice_ids": [Command.unlink(other.id)]})
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            reminder.write({"amount_due": 1.0})
        self.assertEqual(reminder.invoice_ids, inv | other)

    def test_the_validator_is_an_accounting_manager(self):
        manager = new_test_user(
            self.env,
            login="paul.manager",
            groups="account.group_account_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.company.relance_validator_id = manager
        self.assertEqual(self.company._relance_validator(), manager)
        manager[compat.USER_GROUPS] = [Command.unlink(self.env.ref("account.group_account_manager").id)]
        validator = self.company._relance_validator()
        self.assertNotEqual(validator, manager)
        self.assertTrue(validator.has_group("account.group_account_manager"))
        # the formal notice says so, and asks the one who can
        self.policies["standard"].skip_levels = True
        partner = self.customer("Garage Petit SARL")
        self.invoice(partner, 3000.0, "2026-01-10")
        notice = self.run_on("2026-04-01")
        self.assertEqual(notice.activity_ids.user_id, validator)
        notes = " ".join(text(m.body) for m in notice.message_ids)
        self.assertIn("is no longer an accounting manager", notes)


@tagged("post_install", "-at_install")
class TestPublicBuyer(LetterCase):
    def test_a_public_buyer_letter_cites_the_public_procurement_code(self):
        partner = self.customer("Mairie de Villeurbanne", relance_public_buyer=True)
        inv = self.invoice(partner, 2400.0, "2026-03-01")
        reminder = self.reminder(partner, inv, level="Relance 2")
        reminder.with_context(relance_rebuild=True).penalty_amount = reminder._relance_values()["penalties"][
            "total"
        ]
        letter = " ".join(pages(self.print_pdf(reminder)))
        self.assertIn("Code de la commande publique", letter)
        self.assertIn("huit points", letter)
        self.assertNotIn("L441-10", letter)
        self.assertNotIn("soixante jours", letter)

    def test_no_suspension_and_no_formal_notice_for_a_public_buyer(self):
        self.policies["standard"].skip_levels = True
        partner = self.customer("Mairie de Villeurbanne", relance_public_buyer=True)
        self.invoice(partner, 2400.0, "2026-01-01")
        reminder = self.run_on("2026-04-06")  # 95 days: the formal notice is not for public buyers
        self.assertEqual(reminder.level_id.name, "Relance 3")
        self.assertFalse(partner.relance_suspended)
        body = text(self.emails(reminder).body)
        self.assertNotIn("suspendre", body)
        self.assertNotIn("L441-10", body)
        self.assertIn("Code de la commande publique", body)
