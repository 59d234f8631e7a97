"""Runs on a committed database, ``<test database>_conc`` (scripts/test.sh copies it from the
test database): two runs at once, a run and a manual reminder, a worker killed half-way."""

import signal
import subprocess
import sys
import threading
import time
from datetime import date
from unittest.mock import patch

import psycopg2
import pytest

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import freeze_time
from odoo.tools import config

DAY = "2026-04-08"  # Premier rappel for invoices due on 31/03/2026


def _env(cr):
    return api.Environment(cr, SUPERUSER_ID, {})


@pytest.fixture(scope="module")
def registry(request):
    base = request.config.getoption("--odoo-database")
    db = f"{base}_conc"
    try:
        # loading a second registry must not run the modules' own tests again
        with patch.dict(config.options, {"test_enable": False}):
            reg = Registry(db)
    except psycopg2.OperationalError as exc:
        pytest.fail(f"{db} is missing: scripts/test.sh copies it (createdb -T {base} {db}) ({exc})")
    with reg.cursor() as cr:
        env = _env(cr)
        company = env.ref("base.main_company")
        if not company.chart_template:
            company.write({"country_id": env.ref("base.fr").id, "currency_id": env.ref("base.EUR").id})
            env["account.chart.template"].try_loading("fr", company=company, install_demo=False)
    yield reg
    Registry.delete(db)


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


def _cron_until_done(registry, batch_size, errors, barrier=None, calls=None):
    """What Odoo's cron worker does: call, commit, call again while there is work; a failed
    call is rolled back and retried later. ``barrier``: the first call starts with the other
    thread's; ``calls`` gets the (start, end) of each call."""
    for i in range(200):
        with registry.cursor() as cr:
            if barrier and i == 0:
                barrier.wait(timeout=60)
            start = time.monotonic()
            try:
                done = _env(cr)["relance.run"]._cron_run(batch_size=batch_size)
            except psycopg2.errors.SerializationFailure as exc:
                errors.append(exc)
                cr.rollback()
                continue
            finally:
                if calls is not None:
                    calls.append((start, time.monotonic()))
        if not done:
            return


def test_two_runs_at_once_never_send_a_level_twice(registry, customers):
    retries, crashes = [], []
    barrier = threading.Barrier(2)
    calls = [[], []]

    def worker(n):
        try:
            _cron_until_done(registry, 4, retries, barrier, calls[n])
        except BaseException as exc:  # noqa: BLE001 any failure of a thread fails the test
            crashes.append(exc)

    with freeze_time(DAY):
        threads = [threading.Thread(target=worker, args=(n,)) for n in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not crashes, crashes
    # the two runs did overlap: their first calls were under way at the same time
    (start_a, end_a), (start_b, end_b) = calls[0][0], calls[1][0]
    assert max(start_a, start_b) < min(end_a, end_b)
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


# a cron worker: one batch committed, then killed (SIGKILL) in the middle of the next one
WORKER = """
import sys, time
from freezegun import freeze_time
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config
config.parse_config(["-c", sys.argv[1], "-d", sys.argv[2]])
registry = Registry(sys.argv[2])
with freeze_time(sys.argv[3]):
    with registry.cursor() as cr:
        api.Environment(cr, SUPERUSER_ID, {})["relance.run"]._cron_run(batch_size=5)
    print("committed", flush=True)
    cr = registry.cursor()
    api.Environment(cr, SUPERUSER_ID, {})["relance.run"]._cron_run(batch_size=5)
    print("working", flush=True)
    time.sleep(600)
"""


def test_worker_killed_half_way_then_run_again_sends_each_message_once(registry, customers):
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, config.rcfile, registry.db_name, DAY],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert worker.stdout.readline().strip() == "committed", worker.stderr.read()
        assert worker.stdout.readline().strip() == "working", worker.stderr.read()
        worker.send_signal(signal.SIGKILL)  # the second batch is written, not committed
        assert worker.wait(timeout=30) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
    half = _reminders(registry, customers)
    assert len(half) == 5  # the first batch was committed, the second lost whole
    with freeze_time(DAY):
        _cron_until_done(registry, 5, [])
    found = _reminders(registry, customers)
    assert sorted(p for p, _, _ in found) == sorted(customers)
    assert {state for _, _, state in found} == {"to_send"}  # emails queued
    assert _messages(registry, customers) == len(customers)
