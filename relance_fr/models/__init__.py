from . import (
    relance_rate,
    relance_policy,
    relance_level,
    relance_reminder,
    account_move,
    res_partner,
    res_company,
    res_config_settings,
)
