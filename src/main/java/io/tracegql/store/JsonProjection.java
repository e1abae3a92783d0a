package io.tracegql.store;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import io.tracegql.domain.RunField;

/**
 * The part of a run's JSON column that a PostgreSQL jsonpath selects, e.g. {@code $.messages[last]}
 * of the inputs. Computed in SQL with {@code jsonb_path_query_first}: the first item the path
 * yields, or null when it yields none. Errors while evaluating the path on a run's JSON (a missing
 * key in strict mode, arithmetic on a string) are silenced and also give null.
 */
public record JsonProjection(RunField column, String path) {

    /** The JSON columns a projection can read. */
    public static final Set<RunField> COLUMNS =
            EnumSet.of(RunField.INPUTS, RunField.OUTPUTS, RunField.EXTRA, RunField.EVENTS);

    public JsonProjection {
        if (!COLUMNS.contains(column)) {
            throw new IllegalArgumentException(column + " is not a JSON column that can be projected");
        }
        Objects.requireNonNull(path, "path");
    }
}
