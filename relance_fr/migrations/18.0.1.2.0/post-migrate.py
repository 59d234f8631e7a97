"""18.0.1.2.0: a customer's dunning channel is empty by default (the scenario's level decides).

Up to 18.0.1.1.0 every customer got ``relance_channel = 'email'`` by default, which replaced
the channel of the scenario's levels (no customer ever got the letter of *Relance 1*). The
field is not tracked, so who chose 'email' cannot be told for sure; the value is emptied where
nobody can have chosen it:

- customers never written since their creation (``write_date = create_date``), or
- customers last written before the field existed (the date of its ``ir.model.data`` record,
  the module's installation: the default was filled in by the installation itself).

The others keep 'email' (someone may have chosen it): the upgrade log gives their number, the
customers list filters them (Dunning channel is Email)."""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    emptied, kept = empty_default_channel(cr)
    _logger.info(
        "relance_fr %s: dunning channel emptied on %d customer(s) (the scenario's channel now); "
        "%d customer(s) edited since keep 'email'",
        version,
        emptied,
        kept,
    )


def empty_default_channel(cr):
    """Empty the old default where nobody chose it; returns ``(emptied, kept)``."""
    cr.execute(
        SQL(
            """
        UPDATE res_partner p SET relance_channel = NULL
         WHERE p.relance_channel = 'email'
           AND (p.write_date = p.create_date
                OR p.write_date <= (SELECT d.create_date FROM ir_model_data d
                                     WHERE d.module = 'relance_fr'
                                       AND d.name = 'field_res_partner__relance_channel'))
            """
        )
    )
    emptied = cr.rowcount
    cr.execute(SQL("SELECT count(*) FROM res_partner WHERE relance_channel = 'email'"))
    return emptied, cr.fetchone()[0]
