"""The two kinds of a day override (a Government transfer of days off), shared by the model
and the working-time arithmetic without either importing the other."""

WORKING = "working"  # a weekend or holiday worked (the other half of a transfer)
DAY_OFF = "day_off"  # a weekday off
OVERRIDE_KINDS = frozenset({WORKING, DAY_OFF})
