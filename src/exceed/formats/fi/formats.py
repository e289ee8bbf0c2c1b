# 30.11.2026 klo 14.05: the Finnish standard (SFS 4175) writes the time with a full stop.
DATE_FORMAT = "j.n.Y"
DATETIME_FORMAT = r"j.n.Y \k\l\o G.i"
SHORT_DATETIME_FORMAT = "j.n.Y G.i"
