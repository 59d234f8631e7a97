"""Runs on a committed database (a copy of the test database made by scripts/test.sh):
two runs at once, a run and a manual reminder, a run that crashes half-way."""

import threading
from datetime import date
from unittest.mock import patch

import psycopg2
import pytest

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import freeze_time
from odoo.tools import config

DB = "relance_test_conc"
DAY = "2026-04-08"  # Premier rappel for invoices due on 31/03/2026


def _env(cr):
    return api.Environment(cr, SUPERUSER_ID, {})


@pytest.fixture(scope="module")
def registry():
    try:
        # loading a second registry must not run the modules' own tests again
        with patch.dict(config.options, {"test_enable": False}):
            reg = Registry(DB)
    except psycopg2.OperationalError as exc:
        pytest.fail(f"{DB} is missing: scripts/test.sh copies it from relance_test ({exc})")
    with reg.cursor() as cr:
        env = _env(cr)
        company = env.ref("base.main_company")
        if not company.chart_template:
            company.write({"country_id": env.ref("base.fr").id, "currency_id": env.ref("base.EUR").id})
            env["account.chart.template"].try_loading("fr", company=company, install_demo=False)
    yield reg
    reg.delete(DB)


@pytest.fixture
def customers(registry, request):
    """Fresh customers, each with one invoice due on 31/03/2026, committed."""
    count = getattr(request, "param", 30)
    tag = request.node.name
    with registry.cursor() as cr:
        env = _env(cr)
        account = env["account.account"].search([("account_type", "=", "income")], limit=1)
        partners = env["res.partner"].create(
            [
                {
                    "name": f"{tag} client {i}",
                    "is_company": True,
                    "email": f"c{i}@{tag}.example",
                    "street": "1 rue de Lyon",
                    "zip": "69001",
                    "city": "Lyon",
                }
                for i in range(count)
            ]
        )
        moves = env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": p.id,
                    "invoice_date": date(2026, 3, 1),
                    "invoice_date_due": date(2026, 3, 31),
                    "invoice_payment_term_id": False,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Prestation",
                                "price_unit": 100.0,
                                "tax_ids": [],
                                "account_id": account.id,
                            }
                        )
                    ],
                }
                for p in partners
            ]
        )
        with freeze_time("2026-03-01"):
            moves.action_post()
        ids = partners.ids
    return ids


def _reminders(registry, partner_ids):
    with registry.cursor() as cr:
        env = _env(cr)
        reminders = env["relance.reminder"].search([("partner_id", "in", partner_ids)])
        return [(r.partner_id.id, r.level_id.name, r.state) for r in reminders]


def _messages(registry, partner_ids):
    with registry.cursor() as cr:
        env = _env(cr)
        reminders = env["relance.reminder"].search([("partner_id", "in", partner_ids)])
        return env["mail.message"].search_count(
            [
                ("model", "=", "relance.reminder"),
                ("res_id", "in", reminders.ids),
                ("message_type", "=", "comment"),
            ]
        )


def _cron_until_done(registry, batch_size, errors):
    """What Odoo's cron worker does: call, commit, call again while there is work; a failed
    call is rolled back and retried later."""
    for _ in range(200):
        with registry.cursor() as cr:
            try:
                done = _env(cr)["relance.run"]._cron_run(batch_size=batch_size)
            except psycopg2.errors.SerializationFailure as exc:
                errors.append(exc)
                cr.rollback()
                continue
        if not done:
            return


def test_two_runs_at_once_never_send_a_level_twice(registry, customers):
    errors = []
    with freeze_time(DAY):
        threads = [threading.Thread(target=_cron_until_done, args=(registry, 4, errors)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    found = _reminders(registry, customers)
    assert sorted(p for p, _, _ in found) == sorted(customers)  # each customer exactly once
    assert {level for _, level, _ in found} == {"Premier rappel"}
    assert _messages(registry, customers) == len(customers)


@pytest.mark.parametrize("customers", [1], indirect=True)
def test_run_and_manual_reminder_at_once(registry, customers):
    [partner_id] = customers
    with freeze_time(DAY):
        run_cr = registry.cursor()
        manual_cr = registry.cursor()
        late_cr = registry.cursor()
        try:
            run_env, manual_env, late_env = _env(run_cr), _env(manual_cr), _env(late_cr)
            partner = partner_id
            # a manual send opened before the run commits (its snapshot predates the run's)
            late_action = late_env["relance.reminder.send"]._action_open(
                late_env["res.partner"].browse(partner)
            )
            # the run is working on the customer (not committed yet)...
            assert run_env["relance.run"]._cron_run() == 1
            # ...so "Send Reminder" at that moment refuses instead of sending twice
            action = manual_env["relance.reminder.send"]._action_open(
                manual_env["res.partner"].browse(partner)
            )
            wizard = manual_env["relance.reminder.send"].browse(action["res_id"])
            with pytest.raises(UserError, match="processing this customer"):
                wizard.action_send()
            manual_cr.rollback()
            run_cr.commit()
            # the send opened earlier cannot lock a customer changed since: it fails (Odoo
            # retries the request) instead of sending twice
            late_wizard = late_env["relance.reminder.send"].browse(late_action["res_id"])
            with pytest.raises(psycopg2.errors.SerializationFailure):
                late_wizard.action_send()
            late_cr.rollback()
            # tried again, it sees the reminder of the run
            again = late_env["relance.reminder.send"]._action_open(late_env["res.partner"].browse(partner))
            assert late_env["relance.reminder.send"].browse(again["res_id"]).info
            late_cr.rollback()
        finally:
            for cr in (run_cr, manual_cr, late_cr):
                cr.close()
    assert _reminders(registry, customers) == [(partner_id, "Premier rappel", "to_send")]
    assert _messages(registry, customers) == 1


class Crash(BaseException):
    """Stands for a worker killed mid-run (not an error the run turns into an error reminder)."""


def test_crash_half_way_then_run_again_sends_each_message_once(registry, customers):
    from odoo.addons.relance_fr.models.relance_reminder import RelanceReminder

    original = RelanceReminder._relance_deliver
    calls = []

    def crash_after_some(self):
        calls.append(self.id)
        if len(calls) == 7:
            raise Crash()
        return original(self)

    with freeze_time(DAY):
        with patch.object(RelanceReminder, "_relance_deliver", crash_after_some), pytest.raises(Crash):
            _cron_until_done(registry, 5, [])
        half = _reminders(registry, customers)
        assert len(half) == 5  # the first batch was committed, the second lost whole
        _cron_until_done(registry, 5, [])
    found = _reminders(registry, customers)
    assert sorted(p for p, _, _ in found) == sorted(customers)
    assert {state for _, _, state in found} == {"to_send"}  # emails queued
    assert _messages(registry, customers) == len(customers)
