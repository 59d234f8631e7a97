"""French calendar rules for printed deadlines: public holidays and working days (no database).

A deadline that ends on a Saturday, a Sunday or a public holiday moves to the next working day
(Code de procédure civile art. 642, applied here to the final delay of a formal notice). The
public holidays are the eleven of Code du travail L3133-1; the two extra days of Alsace-Moselle
(Good Friday, 26 December) are not counted.
"""

from datetime import date, timedelta

SATURDAY = 5


def easter(year):
    """Easter Sunday of ``year`` in the Gregorian calendar (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month = (h + leap - 7 * m + 114) // 31
    day = (h + leap - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def public_holidays(year):
    """The French public holidays of ``year`` (Code du travail L3133-1), as a set of dates."""
    sunday = easter(year)
    return {
        date(year, 1, 1),  # Jour de l'an
        sunday + timedelta(days=1),  # Lundi de Pâques
        date(year, 5, 1),  # Fête du travail
        date(year, 5, 8),  # Victoire 1945
        sunday + timedelta(days=39),  # Ascension
        sunday + timedelta(days=50),  # Lundi de Pentecôte
        date(year, 7, 14),  # Fête nationale
        date(year, 8, 15),  # Assomption
        date(year, 11, 1),  # Toussaint
        date(year, 11, 11),  # Armistice 1918
        date(year, 12, 25),  # Noël
    }


def is_working_day(day):
    """Neither a Saturday, a Sunday nor a French public holiday."""
    return day.weekday() < SATURDAY and day not in public_holidays(day.year)


def next_working_day(day):
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def deadline(start, days):
    """The last day of a delay of ``days`` days counted from ``start`` (the day of posting or of
    the first presentation), moved to the next working day when it falls on a weekend or a
    public holiday; None without a start."""
    if not start:
        return None
    return next_working_day(start + timedelta(days=days))
