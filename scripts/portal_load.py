"""A quick load check of the customer's page (README, "Security of the customer's page").

Usage: .venv/bin/python scripts/portal_load.py http://127.0.0.1:8069/relance/<token>
Sends 200 requests from 8 threads (the page, the statement PDF and each invoice PDF in turn,
as a visitor holding the link would), then times the back-office login page 5 times.
"""

import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import requests

REQUESTS = 200
THREADS = 8


def main(link):
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(link))
    session = requests.Session()
    page = session.get(link, timeout=60)
    page.raise_for_status()
    paths = ["/relance/compte", "/relance/compte/statement"]
    paths += sorted(set(re.findall(r'href="(/relance/compte/invoice/\d+)"', page.text)))

    def one(i):
        start = time.monotonic()
        response = session.get(origin + paths[i % len(paths)], timeout=120)
        return response.status_code, time.monotonic() - start

    start = time.monotonic()
    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(one, range(REQUESTS)))
    elapsed = time.monotonic() - start
    codes = {}
    for code, _seconds in results:
        codes[code] = codes.get(code, 0) + 1
    slowest = max(seconds for _code, seconds in results)
    logins = []
    for _ in range(5):
        start = time.monotonic()
        requests.get(f"{origin}/web/login", timeout=60).raise_for_status()
        logins.append(time.monotonic() - start)
    print(f"{REQUESTS} requests in {elapsed:.1f} s, answers {codes}, slowest {slowest:.2f} s")
    print(f"back-office login page afterwards: {max(logins):.3f} s at most (of 5)")


if __name__ == "__main__":
    main(sys.argv[1])
