# relance_fr: the two commands of the README, and the benchmark.
.PHONY: demo test lint bench

demo:  ## demo database, the dunning run, a summary of what was sent and printed
	./scripts/demo.sh

test:  ## set-up, lint and the Odoo tests against a real database
	./scripts/test.sh

bench:  ## time the daily run at 1,000 and 10,000 invoices
	./scripts/bench.sh
