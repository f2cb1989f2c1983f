"""Mars time after Mars24 (Allison & McEwen 2000; NASA GISS Mars24 algorithm, steps A to C).

Gives the Mars Sol Date, coordinated Mars time, the local mean and true solar time at a
longitude, and the Sun's areocentric longitude and declination (for the rover's power).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

# TAI - UTC from each date on (seconds); TT = TAI + 32.184 s.
_LEAP_SECONDS: tuple[tuple[datetime, int], ...] = tuple(
    (datetime(y, m, 1, tzinfo=UTC), s) for y, m, s in (
        (1972, 1, 10), (1972, 7, 11), (1973, 1, 12), (1974, 1, 13), (1975, 1, 14),
        (1976, 1, 15), (1977, 1, 16), (1978, 1, 17), (1979, 1, 18), (1980, 1, 19),
        (1981, 7, 20), (1982, 7, 21), (1983, 7, 22), (1985, 7, 23), (1988, 1, 24),
        (1990, 1, 25), (1991, 1, 26), (1992, 7, 27), (1993, 7, 28), (1994, 7, 29),
        (1996, 1, 30), (1997, 7, 31), (1999, 1, 32), (2006, 1, 33), (2009, 1, 34),
        (2012, 7, 35), (2015, 7, 36), (2017, 1, 37),
    )
)
_J2000_JD = 2451545.0


def tt_minus_utc(t: datetime) -> float:
    tai_utc = 10
    for start, seconds in _LEAP_SECONDS:
        if t >= start:
            tai_utc = seconds
    return tai_utc + 32.184


@dataclass(frozen=True, slots=True)
class MarsTime:
    msd: float  # Mars Sol Date
    mtc_h: float  # coordinated Mars time (mean solar time at the prime meridian), hours
    ls_deg: float  # areocentric solar longitude
    declination_deg: float  # of the Sun, planetographic
    eot_h: float  # equation of time, hours

    def lmst_h(self, lon_e_deg: float) -> float:
        return (self.mtc_h + lon_e_deg / 15.0) % 24.0

    def ltst_h(self, lon_e_deg: float) -> float:
        return (self.lmst_h(lon_e_deg) + self.eot_h) % 24.0

    def sol(self, landed: MarsTime, lon_e_deg: float) -> int:
        """Sols since landing at a site, the landing sol being sol 0 (mission convention).

        A sol starts at the site's local midnight (LMST 00:00), not the prime meridian's.
        """
        def local_day(t: MarsTime) -> int:
            return math.floor(t.msd + lon_e_deg / 360.0)

        return local_day(self) - local_day(landed)

    def solar_elevation_deg(self, lon_e_deg: float, lat_deg: float) -> float:
        hour_angle = math.radians((self.ltst_h(lon_e_deg) - 12.0) * 15.0)
        lat, dec = math.radians(lat_deg), math.radians(self.declination_deg)
        sin_el = (math.sin(lat) * math.sin(dec)
                  + math.cos(lat) * math.cos(dec) * math.cos(hour_angle))
        return math.degrees(math.asin(max(-1.0, min(1.0, sin_el))))


def mars_time(t: datetime) -> MarsTime:
    t = t.astimezone(UTC)
    jd_utc = t.timestamp() / 86_400.0 + 2440587.5
    jd_tt = jd_utc + tt_minus_utc(t) / 86_400.0
    dt = jd_tt - _J2000_JD  # days since J2000 (TT)
    # B-1..B-5: mean anomaly, fictitious mean sun, perturbers, equation of centre, Ls.
    m = math.radians(19.3871 + 0.52402073 * dt)
    alpha_fms = 270.3871 + 0.524038496 * dt
    pbs = sum(
        a * math.cos(math.radians(0.985626 * dt / tau + phi))
        for a, tau, phi in (
            (0.0071, 2.2353, 49.409), (0.0057, 2.7543, 168.173), (0.0039, 1.1177, 191.837),
            (0.0037, 15.7866, 21.736), (0.0021, 2.1354, 15.704), (0.0020, 2.4694, 95.528),
            (0.0018, 32.8493, 49.095),
        )
    )
    v_minus_m = ((10.691 + 3.0e-7 * dt) * math.sin(m) + 0.623 * math.sin(2 * m)
                 + 0.050 * math.sin(3 * m) + 0.005 * math.sin(4 * m)
                 + 0.0005 * math.sin(5 * m) + pbs)
    ls = (alpha_fms + v_minus_m) % 360.0
    ls_r = math.radians(ls)
    # C-1: equation of time (degrees), C-2/C-3: MSD and MTC.
    eot_deg = (2.861 * math.sin(2 * ls_r) - 0.071 * math.sin(4 * ls_r)
               + 0.002 * math.sin(6 * ls_r) - v_minus_m)
    msd = (dt - 4.5) / 1.0274912517 + 44796.0 - 0.0009626
    mtc = (24.0 * msd) % 24.0
    # D-1: planetographic solar declination.
    dec = math.degrees(math.asin(0.42565 * math.sin(ls_r))) + 0.25 * math.sin(ls_r)
    return MarsTime(msd, mtc, ls, dec, eot_deg / 15.0)


def hms(hours: float) -> str:
    seconds = round(hours * 3600) % 86_400
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
