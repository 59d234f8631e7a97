"""Registered letters posted with La Poste's tracking number: the button that asks for it, the
numbers refused (with why), the numbers kept (normalised, one letter per number in a company)."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import RelanceCase


@tagged("post_install", "-at_install")
class TestTrackingNumbers(RelanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = {"company_id": cls.company.id, "company_ids": cls.company.ids}
        cls.billing = new_test_user(cls.env, "trk.billing", groups="account.group_account_invoice", **company)
        cls.auditor = new_test_user(
            cls.env, "trk.auditor", groups="account.group_account_readonly", **company
        )
        cls.levels = {lv.name: lv for lv in cls.policies["standard"].level_ids}

    def letter(self, name="Boulangerie Martin SARL", company=None):
        """A registered letter of Relance 2 printed and waiting to be posted."""
        partner = self.customer(name)
        if company:
            invoice = self.init_invoice(
                "out_invoice", partner, "2026-03-01", True, amounts=[300.0], company=company
            )
            policy = self.env["relance.policy"].search(
                [("company_id", "=", company.id), ("profile", "=", "standard")]
            )
            level = policy.level_ids.filtered(lambda lv: lv.name == "Relance 2")
        else:
            invoice = self.invoice(partner, 300.0, "2026-03-31")
            level = self.levels["Relance 2"]
        return self.Reminder.create(
            {
                "partner_id": partner.id,
                "level_id": level.id,
                "channel": "registered_letter",
                "date": "2026-04-30",
                "invoice_ids": [Command.set(invoice.ids)],
                "amount_due": 300.0,
                "state": "to_print",
                **({"company_id": company.id} if company else {}),
            }
        )

    def click_mark_as_posted(self, reminders, user=None):
        """The *Mark as Posted* button of the reminders' list or form: the wizard it opens."""
        action = reminders.with_user(user or self.billing).action_mark_posted()
        self.assertEqual((action["res_model"], action["target"]), ("relance.letter.tracking", "new"))
        return Form(
            self.env[action["res_model"]].with_user(user or self.billing).with_context(action["context"])
        )

    def post(self, reminder, number, user=None):
        form = self.click_mark_as_posted(reminder, user)
        with form.line_ids.edit(0) as line:
            line.tracking_number = number
        return form.save().action_confirm()

    def test_the_button_opens_the_tracking_wizard_with_the_letter(self):
        reminder = self.letter()
        action = reminder.with_user(self.billing).action_mark_posted()
        wizard = (
            self.env[action["res_model"]].with_user(self.billing).with_context(action["context"]).create({})
        )
        self.assertEqual(wizard.line_ids.reminder_id, reminder)
        # the form and the list show one button, worded as the wizard's
        for view_type in ("form", "list"):
            arch = self.Reminder.get_views([(False, view_type)])["views"][view_type]["arch"]
            self.assertIn('name="action_mark_posted"', arch)
            self.assertNotIn('name="action_mark_sent"', arch)
            self.assertIn('string="Mark as Posted"', arch)
        wizard_arch = self.env["relance.letter.tracking"].get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        self.assertIn('string="Mark as Posted"', wizard_arch)

    def test_a_domestic_number_with_spaces_is_kept_without_them(self):
        reminder = self.letter()
        self.post(reminder, " 1a 001 234 5678 9 ")
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.tracking_number, "1A00123456789")
        self.assertIn("1A 001 234 5678 9", reminder.message_ids[0].body)  # as on the receipt

    def test_an_international_number_is_checked_with_its_check_digit(self):
        reminder = self.letter()
        with self.assertRaisesRegex(UserError, r"RR 123 456 784 FR .*check digit .*does not match"):
            self.post(reminder, "RR 123 456 784 FR")
        self.assertEqual((reminder.state, reminder.tracking_number), ("to_print", False))
        self.post(reminder, "rr 123 456 785 fr")
        self.assertEqual((reminder.state, reminder.tracking_number), ("sent", "RR123456785FR"))

    def test_a_number_that_is_not_la_postes_is_refused(self):
        reminder = self.letter()
        for bad in ("abc", "1A 001 234 5678", "12345678901234", "1A-001-234-5678-9"):
            with self.assertRaisesRegex(
                UserError,
                r"is not a La Poste tracking number\. Enter the 13 characters of the receipt, spaces "
                r"allowed: 1A 001 234 5678 9 \(France\) or RR 123 456 785 FR \(international\)\.",
            ):
                self.post(reminder, bad)
        self.assertEqual((reminder.state, reminder.tracking_number), ("to_print", False))

    def test_the_same_number_twice_is_refused_in_a_company_allowed_in_another(self):
        first = self.letter("Client Un SAS")
        second = self.letter("Client Deux SARL")
        self.post(first, "1A 001 234 5678 9")
        with self.assertRaisesRegex(
            UserError,
            r"The tracking number 1A 001 234 5678 9 is already that of the letter Relance 2 – Client Un SAS "
            r"of 30/04/2026: each registered letter has its own number\. Check the receipt of the letter to "
            r"Client Deux SARL\.",
        ):
            self.post(second, "1A0012345 6789")
        self.assertEqual(second.state, "to_print")
        # two letters of the same batch with one number: the second is refused
        third = self.letter("Client Trois SA")
        form = self.click_mark_as_posted(second | third)
        for index in range(2):
            with form.line_ids.edit(index) as line:
                line.tracking_number = "RR 123 456 785 FR"
        with self.assertRaisesRegex(UserError, "is already that of the letter"):
            form.save().action_confirm()
        self.assertEqual((second | third).mapped("state"), ["to_print", "to_print"])
        # another company's letters are its own: the same number is theirs to use
        other = self.setup_other_company(name="Société Sœur")["company"]
        theirs = self.letter("Client Ailleurs SARL", company=other)
        theirs.tracking_number = "1A 001 234 5678 9"
        self.assertEqual(theirs.tracking_number, "1A00123456789")

    def test_the_number_is_checked_whatever_writes_it(self):
        reminder = self.letter()
        with self.assertRaisesRegex(ValidationError, "is not a La Poste tracking number"):
            reminder.tracking_number = "abc"
        reminder.tracking_number = "rr 000 000 080 fr"
        self.assertEqual(reminder.tracking_number, "RR000000080FR")

    def test_an_auditor_cannot_mark_letters_posted(self):
        reminder = self.letter()
        with self.assertRaises(AccessError):
            self.click_mark_as_posted(reminder, self.auditor).save()
        self.assertEqual(reminder.state, "to_print")

    def test_only_letters_waiting_to_be_posted_open_the_wizard(self):
        reminder = self.letter()
        reminder.state = "to_send"
        with self.assertRaisesRegex(UserError, "not letters waiting to be posted"):
            reminder.with_user(self.billing).action_mark_posted()
