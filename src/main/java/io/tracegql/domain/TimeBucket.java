package io.tracegql.domain;

import java.time.DayOfWeek;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/** The width of one bucket of a time series; buckets start at whole units in UTC (weeks on Mondays). */
public enum TimeBucket {
    MINUTE(ChronoUnit.MINUTES),
    HOUR(ChronoUnit.HOURS),
    DAY(ChronoUnit.DAYS),
    WEEK(ChronoUnit.WEEKS),
    MONTH(ChronoUnit.MONTHS);

    private final ChronoUnit unit;

    TimeBucket(ChronoUnit unit) {
        this.unit = unit;
    }

    /** The field name PostgreSQL's date_trunc takes for this width. */
    public String sqlUnit() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The interval between bucket starts, as PostgreSQL reads it. */
    public String sqlInterval() {
        return "1 " + sqlUnit();
    }

    /** The start of the bucket that holds this instant, as date_trunc computes it in UTC. */
    public OffsetDateTime truncate(OffsetDateTime time) {
        OffsetDateTime utc = time.withOffsetSameInstant(ZoneOffset.UTC);
        return switch (this) {
            case MINUTE, HOUR, DAY -> utc.truncatedTo(unit);
            case WEEK -> utc.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> utc.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
        };
    }

    /** How many buckets cover [from, to): the first starts at from truncated, the last before to. */
    public long count(OffsetDateTime from, OffsetDateTime to) {
        OffsetDateTime start = truncate(from);
        OffsetDateTime end = to.withOffsetSameInstant(ZoneOffset.UTC);
        long whole = unit.between(start, end);
        return start.plus(whole, unit).isBefore(end) ? whole + 1 : whole;
    }
}
