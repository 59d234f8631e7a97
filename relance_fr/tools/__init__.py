from . import relance_rules
