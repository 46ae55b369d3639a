from scrutineer.engine import Period, PeriodKeyError


class PeriodConverter:
    """`<period:period>` in a URL: a period key such as 2020-21-Q1, given to views as a Period."""

    regex = r"[0-9]{4}-[0-9]{2,4}(?:-Q[1-4])?"

    def to_python(self, value: str) -> Period:
        try:
            return Period.parse(value)
        except PeriodKeyError as exc:
            raise ValueError(str(exc)) from exc

    def to_url(self, value: Period) -> str:
        return value.key
