from . import relance_promise, relance_rules, relance_story
