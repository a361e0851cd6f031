"""Range checks for strategy options, run when a strategy is built."""
import math


def check_number(owner: str, name: str, value, low: float, high: float,
                 low_open: bool = False, integer: bool = False) -> float:
    """``value`` as a float (an int when ``integer``), or a ``ValueError``
    naming ``owner.name``, the range and the value given.

    The range is ``[low, high]`` (``(low, high]`` when ``low_open``); an
    integer option refuses a fractional value instead of truncating it.
    """
    bracket = '(' if low_open else '['
    wanted = (f'{"an integer" if integer else "a number"} in '
              f'{bracket}{low:g}, {high:g}]')
    is_number = isinstance(value, (int, float)) and not isinstance(
        value, bool)
    if not is_number or not math.isfinite(value) or (
            integer and value != int(value)):
        raise ValueError(f'{owner}: {name} must be {wanted}, got {value!r}.')
    if value < low or value > high or (low_open and value == low):
        raise ValueError(f'{owner}: {name} must be {wanted}, got {value!r}.')
    return int(value) if integer else float(value)
